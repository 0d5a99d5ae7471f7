a
{{ .Values.name
