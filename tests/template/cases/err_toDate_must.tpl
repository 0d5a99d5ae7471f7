{{ mustToDate "2006-01-02" "xx" }}
