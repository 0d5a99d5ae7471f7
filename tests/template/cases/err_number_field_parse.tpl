{{ .Values.list.0 }}
