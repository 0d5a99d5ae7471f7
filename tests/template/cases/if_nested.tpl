{{ if .Values.enabled }}{{ if .Values.disabled }}a{{ else }}b{{ end }}{{ end }}
