{{ .Values.a }} {{ .Values.b }} {{ if .Values.b }}t{{ end }}
