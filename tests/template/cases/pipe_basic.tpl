{{ .Values.name | printf "%s-x" }}
