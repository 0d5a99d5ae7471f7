{{ printf "%5v" .Values.nums }}
