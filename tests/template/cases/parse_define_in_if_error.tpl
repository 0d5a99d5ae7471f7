{{ if true }}{{ define "x" }}y{{ end }}{{ end }}
