{{ .Values.list.first }}
