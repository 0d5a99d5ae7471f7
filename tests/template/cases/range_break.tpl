{{ range .Values.nums }}{{ if eq . 3.0 }}{{ break }}{{ end }}{{ . }}{{ end }}
