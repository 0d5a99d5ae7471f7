{{ .Values.name.x }}
