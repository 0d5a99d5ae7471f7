{{ range $k, $v := .Values }}{{ $k }},{{ end }}
