{{ mustToDate "Jan 2" "Foo 2" }}
