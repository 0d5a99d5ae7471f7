{{ define "inner" }}
  x {{ .Values.nope.y }}
{{ end }}
start {{ template "inner" . }}
