{{ .Values.name 1 }}
