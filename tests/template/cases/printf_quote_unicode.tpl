{{ printf "%q" .Values.unicode }} {{ printf "%q" .Values.multiline }}
