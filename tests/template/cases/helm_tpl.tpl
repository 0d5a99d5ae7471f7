{{ tpl "{{ .Values.name }}-{{ .Values.image.tag }}" . }} {{ tpl .Values.t . }} {{ tpl "{{ define \"x\" }}X{{ end }}{{ include \"x\" . }}" . }}
