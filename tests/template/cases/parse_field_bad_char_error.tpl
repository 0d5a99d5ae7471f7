{{ .Values.a-b }}
