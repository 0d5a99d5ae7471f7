{{ and 1 "x" .Values.list }} {{ or "" 0 .Values.emptylist }}
