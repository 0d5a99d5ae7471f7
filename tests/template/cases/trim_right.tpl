{{ .Values.name -}}   
  b
