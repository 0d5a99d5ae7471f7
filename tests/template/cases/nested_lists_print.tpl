{{ .Values.m }}
