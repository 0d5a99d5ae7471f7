x:{{ indent 4 .Values.multiline }}|
y:{{ nindent 2 "a\nb" }}
{{ .Values.image | toString | indent 2 }}
