{{ define "t" }}{{ $.name }}{{ end }}{{ range .Values.ports }}{{ template "t" . }}{{ end }}
