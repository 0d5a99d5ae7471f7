{{ range .Values.emptylist }}x{{ else }}empty{{ end }}
