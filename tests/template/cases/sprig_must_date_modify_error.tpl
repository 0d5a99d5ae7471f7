{{ mustDateModify "3x" (toDate "2006" "2020") }}
