{{ mustRegexSplit "[a" "x" -1 }}
