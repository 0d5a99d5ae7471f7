{{ .Values.a.b.c.d }}
