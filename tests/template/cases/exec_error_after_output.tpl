first line
{{ range .Values.list }}{{ . }}{{ end }}
{{ index .Values.list 9 }}
