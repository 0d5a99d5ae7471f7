{{ regexFind "\\C" "x" }}
