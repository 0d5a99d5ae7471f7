x: {{ .Values.a.b.c }}
