{{ tpl "{{ define \"y\" }}a{{ end }}" . }}{{ include "y" . }}
