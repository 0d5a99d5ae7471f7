{{ range .Values.ports }}{{ $p := . }}{{ range $.Values.list }}{{ $p.name }}-{{ . }} {{ end }}{{ end }}
