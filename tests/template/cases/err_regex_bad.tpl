{{ regexMatch "[" "a" }}
