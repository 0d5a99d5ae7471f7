{{ with .Values.image }}{{ .tag.x }}{{ end }}
