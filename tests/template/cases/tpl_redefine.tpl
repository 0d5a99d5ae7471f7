{{- define "x" }}old{{ end -}}
{{ tpl "{{ define \"x\" }}new{{ end }}{{ include \"x\" . }}" . }}|{{ include "x" . }}
{{ tpl "{{ include \"x\" . }}-{{ tpl \"{{ .Template.Name }}\" . }}" . }}
{{ define "usetpl" }}{{ tpl .t .ctx }}{{ end }}{{ include "usetpl" (dict "t" "{{ .Values.name }}/{{ .Template.BasePath }}" "ctx" $) }}
{{ tpl (toYaml .Values.image) . }}
{{ tpl "{{ $x := 1 }}{{ $x }}{{ $ | typeOf }}" . }}|{{ tpl "{{ . | typeOf }}" (list 1) }}|{{ tpl "{{ .Values }}" (dict "Values" 1) }}
{{ tpl "{{ template \"x\" }}" . }}|{{ tpl "" . }}|{{ tpl "{{/* c */}}" . }}|{{ tpl "<no value>{{ .nope }}" (dict) }}
