{{ mustFirst "abc" }}
