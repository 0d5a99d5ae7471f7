{{ printf "%d|%s|%t|%x" "str" 5 1 true }}
