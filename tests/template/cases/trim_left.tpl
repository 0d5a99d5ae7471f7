a   
  {{- .Values.name }}
