{{ range .Values.list }}{{ break 1 }}{{ end }}
