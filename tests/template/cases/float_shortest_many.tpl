{{ range .Values.f }}{{ . }}
{{ end }}