{{ range .Values.image }}{{ . }},{{ end }}
