{{ regexFind "a{1001}" "ab" }}
