{{ .Values.map }}
{{ .Values.image }}
