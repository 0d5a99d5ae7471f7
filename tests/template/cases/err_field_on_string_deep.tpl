{{ .Values.str.x.y }}
