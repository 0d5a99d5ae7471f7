{{ .Values.name || printf }}
