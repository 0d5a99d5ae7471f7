{{ .Values.empty | required "empty!" }}
