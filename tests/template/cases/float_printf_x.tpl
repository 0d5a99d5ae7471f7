{{ range .Values.f }}{{ printf "%x|%X|%b" . . . }}
{{ end }}