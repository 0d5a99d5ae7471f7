a
b
{{ .Values.a.b }}
