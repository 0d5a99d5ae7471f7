{{ define "t" }}[{{ .missing }}]{{ end }}{{ include "t" .Values }} {{ include "t" .Values | len }}
