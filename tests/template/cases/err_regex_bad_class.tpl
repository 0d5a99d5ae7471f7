{{ regexFind "[z-a]" "ab" }}
