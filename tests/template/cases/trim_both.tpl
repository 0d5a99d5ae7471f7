x

  {{- .Values.name -}}  

y
