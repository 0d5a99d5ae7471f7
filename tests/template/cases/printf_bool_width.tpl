{{ printf "%-7t|%7v|" true false }}
