{{ regexFind "\\q" "ab" }}
