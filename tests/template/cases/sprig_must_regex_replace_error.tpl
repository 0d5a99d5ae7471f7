{{ mustRegexReplaceAll "a**" "x" "y" }}
