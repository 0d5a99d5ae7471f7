{{ with .Values.empty }}x{{ else }}empty{{ end }}
