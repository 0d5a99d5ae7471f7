{{ repeat -1 "a" }}
