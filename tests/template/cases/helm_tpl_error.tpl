{{ tpl "{{ .Values.nope.x }}" . }}
