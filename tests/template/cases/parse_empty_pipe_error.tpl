{{ .Values.name | }}
