{{ range .Values.l }}[{{ b64dec . }}]{{ end }}
