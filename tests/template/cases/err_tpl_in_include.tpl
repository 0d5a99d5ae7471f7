{{ define "x" }}{{ tpl "{{ .Values.a.b }}" . }}{{ end }}{{ include "x" . }}
