{{ range .Values.list }}
{{ . }}
