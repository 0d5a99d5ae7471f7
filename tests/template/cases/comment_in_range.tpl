{{ range .Values.list }}{{/* x */}}{{ . }}{{- /* y */ -}} {{ end }}
