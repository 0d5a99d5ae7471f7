{{ .Values.multiline }}|{{ .Values.spaces }}|
