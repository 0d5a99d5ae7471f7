{{ define "t" }}T({{ . }}){{ end }}{{ template "t" .Values.name }}
