{{ printf "%q" .Values.list }} {{ printf "%x" .Values.list }} {{ printf "%5.1f" .Values.nums }}
