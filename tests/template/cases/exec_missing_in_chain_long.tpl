{{ .Values.a.b.c.d.e }}
