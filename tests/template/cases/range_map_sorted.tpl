{{ range $k, $v := .Values.map }}{{ $k }}:{{ $v }} {{ end }}
