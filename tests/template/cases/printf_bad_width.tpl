{{ printf "%*d" "x" 5 }}
