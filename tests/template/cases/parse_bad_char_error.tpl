{{ .Values.name# }}
