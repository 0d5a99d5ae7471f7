{{ .Values.a }} {{ .Values.b }} {{ .Values.c }} {{ 9007199254740993 }}
