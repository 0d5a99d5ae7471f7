{{ printf "%x" 3.5 }}
