{{ range .Values.list }}{{ $x := . }}{{ $x }}{{ end }}
