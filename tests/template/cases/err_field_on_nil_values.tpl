{{ .Values.nullval.x.y }}
