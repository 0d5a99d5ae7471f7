{{ define "a" }}{{ define "b" }}{{ end }}{{ end }}
