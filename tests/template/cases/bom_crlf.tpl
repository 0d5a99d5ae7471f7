bom {{ .Values.name }}
line2 {{- "x" -}}
  {{ .Values.str }}
