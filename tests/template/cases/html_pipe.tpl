{{ .Values.quote | html }}
