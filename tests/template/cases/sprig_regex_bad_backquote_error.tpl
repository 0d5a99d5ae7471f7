{{ regexReplaceAll "a`(" "x" "y" }}
