{{ genCAWithKey "x" 1 .Values.notakey }}
