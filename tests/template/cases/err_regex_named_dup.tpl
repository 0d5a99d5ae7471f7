{{ regexFind "(?P<a>x)(?P<a>y)" "xy" }}
