{{ range $k, $v := .Values }}{{ $k }}={{ printf "%T" $v }};{{ end }}
