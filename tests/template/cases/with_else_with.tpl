{{ with .Values.nope }}a{{ else with .Values.image }}{{ .tag }}{{ else }}c{{ end }}
