a
{{- "b" }}
  {{- "c" -}}
d {{- 3 -}} e
{{ -3 }} {{ 3 -}}x
{{- /* c */ -}}
{{ "f" }}{{/* c */}}
{{- if false }}
no
{{- else if true }}
yes
{{- else }}
never
{{- end }}
{{ range .Values.list -}}
  {{ . }}
{{ end -}}
end
