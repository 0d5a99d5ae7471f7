{{ slice .Values.list 1 }} {{ slice .Values.list 0 2 }} {{ slice .Values.list }} [{{ slice .Values.emptylist }}] {{ slice .Values.list 1 1 }}
