{{ printf "%s" (.Values.name | printf "<%s>") }}
