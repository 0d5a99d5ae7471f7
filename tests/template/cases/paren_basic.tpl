{{ printf "%s:%s" (printf "%d" 1) .Values.name }}
