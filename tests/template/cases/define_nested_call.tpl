{{ define "a" }}a{{ template "b" . }}{{ end }}{{ define "b" }}b{{ . }}{{ end }}{{ template "a" 1 }}
