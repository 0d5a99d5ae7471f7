{{ range .Values.str }}{{ . }}{{ end }}
