{{ printf "%t" .Values.list }}
