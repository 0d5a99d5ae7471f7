{{ tpl "{{ required \"need x\" .Values.x }}" . }}
