{{ .Values.enabled }} {{ .Values.disabled }} {{ true }} {{ false }}
