{{ printf "%s" "a" "b" 3 }}
