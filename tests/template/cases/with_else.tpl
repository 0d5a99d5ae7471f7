{{ with .Values.nope }}has{{ else }}none{{ end }}
