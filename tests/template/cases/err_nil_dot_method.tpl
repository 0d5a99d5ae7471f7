{{ .Values.nullval.x }}
