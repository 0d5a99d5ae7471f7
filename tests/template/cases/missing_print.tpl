[{{ .Values.nope }}] [{{ print .Values.nope }}] [{{ printf "%v" .Values.nope }}]
