{{ hasPrefix 1 "1a" }}
