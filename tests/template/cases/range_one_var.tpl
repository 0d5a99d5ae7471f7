{{ range $v := .Values.list }}{{ $v }}{{ end }}
