{{ range .Values.ports }}{{ . }};{{ end }}
