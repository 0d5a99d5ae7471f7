{{ .Values.name | "x" }}
