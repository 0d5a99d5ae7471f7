{{ .Values.nope.deeper }}
