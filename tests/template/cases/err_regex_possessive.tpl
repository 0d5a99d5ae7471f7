{{ regexMatch "a++" "aa" }}
