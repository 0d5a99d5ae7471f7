{{ tpl "{{ fail \"tpl failed\" }}" . }}
