{{- define "t" -}}
  a
  {{- . -}}
  b
{{- end -}}
<{{ template "t" 1 }}>
