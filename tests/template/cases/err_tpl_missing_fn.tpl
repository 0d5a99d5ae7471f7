{{ tpl "{{ nosuch }}" . }}
