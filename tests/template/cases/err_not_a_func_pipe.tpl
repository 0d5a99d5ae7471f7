{{ .Values.str | .Values.str }}
