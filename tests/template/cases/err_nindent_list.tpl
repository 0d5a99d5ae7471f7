{{ nindent 2 .Values.list }}
