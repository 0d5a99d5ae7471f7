{{ range .Values.list }}[{{ . }}]{{ end }}
