{{ if .Values.enabled }}yes{{ end }}
