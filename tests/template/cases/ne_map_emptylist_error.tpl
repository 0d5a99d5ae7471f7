{{ ne .Values.map .Values.emptylist }}
