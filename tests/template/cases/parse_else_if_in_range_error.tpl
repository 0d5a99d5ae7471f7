{{ range .Values.list }}a{{ else if true }}b{{ end }}
