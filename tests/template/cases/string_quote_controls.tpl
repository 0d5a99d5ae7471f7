{{ range .Values.s }}{{ printf "%q|%+q|%#q|%x|% X" . . . . . }}
{{ end }}