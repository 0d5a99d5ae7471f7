{{ range .Values.replicas }}{{ . }}{{ end }}
