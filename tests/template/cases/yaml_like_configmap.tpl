apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Values.name }}-config
  labels:
    app: {{ .Values.name | printf "%q" }}
data:
{{- range $k, $v := .Values.image }}
  {{ $k }}: {{ $v | printf "%q" }}
{{- end }}
