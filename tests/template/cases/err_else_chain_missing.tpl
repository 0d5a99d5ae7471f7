{{ if .Values.a.b }}x{{ else if .Values.c }}y{{ end }}
