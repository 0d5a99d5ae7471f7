{{ first .Values.list }} {{ last .Values.list }} {{ rest .Values.list }} {{ initial .Values.list }} [{{ first .Values.emptylist }}] {{ rest .Values.emptylist }} {{ initial (list) }}
