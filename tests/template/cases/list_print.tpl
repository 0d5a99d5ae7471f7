{{ .Values.list }} {{ .Values.nums }} {{ .Values.emptylist }} {{ .Values.emptymap }}
