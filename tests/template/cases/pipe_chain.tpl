{{ .Values.name | printf "%s-a" | printf "%s-b" }}
