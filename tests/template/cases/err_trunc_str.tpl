{{ trunc "a" "abc" }}
