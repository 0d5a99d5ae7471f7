{{ .Values.str | atoi | add1 | printf "%d" | b64dec | fail }}
