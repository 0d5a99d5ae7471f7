{{ mustToDate "2006-01-02" "2017-02-01 extra" }}
