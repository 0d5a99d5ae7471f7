{{ .Values.ports }}
