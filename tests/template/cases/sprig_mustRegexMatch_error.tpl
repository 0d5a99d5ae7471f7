{{ mustRegexMatch "(" "x" }}
