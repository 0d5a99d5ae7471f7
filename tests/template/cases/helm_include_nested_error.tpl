{{ define "inner" }}{{ .x.y }}{{ end }}{{ define "outer" }}[{{ include "inner" . }}]{{ end }}{{ include "outer" .Values }}
