{{ if .Values.disabled }}yes{{ else }}no{{ end }}
