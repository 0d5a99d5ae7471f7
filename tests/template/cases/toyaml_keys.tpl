{{ toYaml .Values }}
{{ toJson .Values }}
{{ range $k, $v := .Values.m }}{{ $k }} {{ end }}
