{{ if eq .Values.name "x" }}x{{ else if eq .Values.name "web" }}web{{ else }}other{{ end }}
