{{ .Values.name | call }}
