{{ range .Values.list }}{{ .x }}{{ end }}
