{{ with .Values.a }}a{{ else with .Values.b }}b{{ else with .Values.c }}c={{ . }}{{ else }}none{{ end }}
