{{ range $i, $v := .Values.list }}{{ $i }}={{ $v }} {{ end }}
