[{{ printf "%*d" 5 42 }}][{{ printf "%-*d" 5 42 }}][{{ printf "%.*f" 2 3.14159 }}][{{ printf "%*.*f" 8 3 3.14159 }}]
[{{ printf "%*d" "x" 42 }}][{{ printf "%*d" -5 42 }}][{{ printf "%.*d" -1 42 }}][{{ printf "%*s" 3.0 "a" }}]
[{{ printf "%*d" .Values.replicas 7 }}]
