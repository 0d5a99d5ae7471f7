{{ .Values.name } }}
