{{ .Values.name | eq "web" }}
