{{ regexFind "(" "x" }}
