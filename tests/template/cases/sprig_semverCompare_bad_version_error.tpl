{{ semverCompare ">=1.0" "abc" }}
