{{ mustFirst "x" }}
