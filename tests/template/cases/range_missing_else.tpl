{{ range .Values.nope }}x{{ else }}none{{ end }}
