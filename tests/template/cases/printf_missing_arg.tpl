{{ printf "%s %s %d" "a" }}
