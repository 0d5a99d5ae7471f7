{{ if and (gt (len .Values.list) 2) (eq .Values.name "web") }}ok{{ end }}
