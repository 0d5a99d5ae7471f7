{{ range .Values.ports }}{{ with .name }}{{ . }}{{ end }}{{ end }}
