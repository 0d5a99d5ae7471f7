spec:
{{- range .Values.ports }}
{{ printf "name: %s\nport: %v" .name .port | indent 2 }}
{{- end }}
