{{ range .Values.name }}{{ . }}{{ end }}
