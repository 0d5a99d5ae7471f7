{{ regexFind "(ab" "ab" }}
