{{ .Values.Table "name" }}
