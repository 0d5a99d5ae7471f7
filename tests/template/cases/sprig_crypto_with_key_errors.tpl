{{ genCAWithKey "x" 1 "nothing here" }}
