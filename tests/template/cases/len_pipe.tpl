{{ .Values.list | len }}
