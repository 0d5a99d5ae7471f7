{{ mustRegexMatch "(" "a" }}
