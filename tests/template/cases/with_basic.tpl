{{ with .Values.image }}{{ .repository }}{{ end }}
