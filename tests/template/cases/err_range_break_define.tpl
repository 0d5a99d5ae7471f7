{{ define "b" }}{{ break }}{{ end }}
