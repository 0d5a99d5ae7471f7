{{ with .Values.a }}{{ else }}{{ .Values.b.c }}{{ end }}
