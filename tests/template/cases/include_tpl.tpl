{{- define "a" }}A({{ . }}){{ include "b" (add . 1) }}{{ end -}}
{{- define "b" }}B({{ . }}){{ if lt . 3 }}{{ include "a" (add . 1) }}{{ end }}{{ end -}}
{{ include "a" 0 }}
{{ tpl "{{ .Values.name }}-{{ .Template.Name }}-{{ .Template.BasePath }}" . }}
{{ tpl "{{ define \"inner\" }}IN{{ . }}{{ end }}{{ include \"inner\" 5 }}" . }}
{{ tpl "{{ $.Values.replicas }}" . }}|{{ tpl "plain" . }}|{{ tpl "{{ .x }}" (dict "x" 1) }}|{{ tpl "{{ .Values.missing }}" . }}
{{ include "a" 2 | upper }}|{{ include "a" 2 | indent 2 }}|{{ .Template.Name }}|{{ .Template.BasePath }}
{{ define "c" }}{{ $ }}|{{ . }}{{ end }}{{ include "c" "dot" }}
{{ template "c" "x" }}
