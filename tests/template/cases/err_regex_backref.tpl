{{ regexMatch "(a)\\1" "aa" }}
