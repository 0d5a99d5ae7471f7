{{ .Values.name | and true }} {{ 0 | or 5 }}
