{{ mustRegexReplaceAll "*" "ab" "x" }}
