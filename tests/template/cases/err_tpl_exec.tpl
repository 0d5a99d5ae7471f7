{{ tpl "{{ .Values.a.b }}" . }}
