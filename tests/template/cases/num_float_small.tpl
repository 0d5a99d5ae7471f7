{{ .Values.small }} {{ .Values.tiny }} {{ .Values.huge }} {{ .Values.pi }}
