{{ .Values.name "a long string here" ) }}
