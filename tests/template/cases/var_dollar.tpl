{{ with .Values.image }}{{ $.Values.name }}/{{ .repository }}{{ end }}
