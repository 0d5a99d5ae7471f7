{{ range $k, $v := .Values }}{{ $k }}={{ $v }} {{ printf "%T" $v }} {{ toJson $v }} {{ toYaml $v }}
{{ end }}
