{{ mustRegexFind "(" "x" }}
