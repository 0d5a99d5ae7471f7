{{ semverCompare "foo" "1.0.0" }}
