{{ regexMatch "a(?=b)" "ab" }}
