{{ .Values.nope.Get "x" }}
