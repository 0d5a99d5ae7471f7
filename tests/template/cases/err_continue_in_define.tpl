{{ define "c" }}{{ range . }}{{ end }}{{ continue }}{{ end }}
