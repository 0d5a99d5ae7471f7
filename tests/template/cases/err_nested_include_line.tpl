{{ define "a" }}
line2 {{ .Values.x.y.z }}
{{ end }}ok
{{ include "a" . }}
