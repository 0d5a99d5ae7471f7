{{ (toDate "2006" "2020").Foo }}
