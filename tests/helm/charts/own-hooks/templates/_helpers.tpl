{{- define "own.name" -}}{{ .Release.Name }}-{{ .Chart.Name }}{{- end -}}
{{- define "own.labels" -}}
app: {{ include "own.name" . }}
chart: {{ .Chart.Name }}-{{ .Chart.Version }}
{{- end -}}
