{{ range .Values.list }}{{ range $.Values.nums }}{{ if eq . 2.0 }}{{ break }}{{ end }}{{ . }}{{ end }}{{ . }};{{ end }}
