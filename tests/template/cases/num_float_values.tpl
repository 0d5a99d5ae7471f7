{{ .Values.replicas }} {{ .Values.big }} {{ .Values.half }} {{ .Values.neg }} {{ .Values.zero }}
