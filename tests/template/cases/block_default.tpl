{{ block "b" .Values.image }}{{ .repository }}{{ end }}
