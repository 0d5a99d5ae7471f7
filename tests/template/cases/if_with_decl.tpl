{{ if $x := .Values.name }}{{ $x }}{{ end }}
