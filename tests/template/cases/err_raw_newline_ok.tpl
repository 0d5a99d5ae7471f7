{{ `a
b` }}{{ .Values.x.y }}
