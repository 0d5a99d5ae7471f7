{{ define "item" }}- {{ .name }}: {{ .port }}
{{ end }}{{ range .Values.ports }}{{ template "item" . }}{{ end }}