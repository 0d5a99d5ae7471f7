{{ range .Values.nums }}{{ if gt . 1.0 }}{{ continue }}{{ else }}{{ . }}{{ end }}x{{ end }}
