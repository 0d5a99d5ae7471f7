a  {{- /* c1 */ -}}  b
{{- /* multi
line */}}
c {{/* no trim */}} d
  {{- /* left only */}}
e
{{ "x" -}}
   {{- "y" }}
{{- if true }}
  t
{{- end }}
f{{ "" }}  {{- "g" }}
