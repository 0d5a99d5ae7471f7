{{ .Values.name | .Values.str }}
