{{ has "b" .Values.list }} {{ has "z" .Values.list }} {{ has 1 .Values.nums }} {{ has 1.0 .Values.nums }} {{ has 1 nil }} {{ .Values.list | has "a" }}
