{{ dateModify "1h" "x" }}
