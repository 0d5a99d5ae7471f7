{{ define "t" }}{{ .a.b }}{{ end }}{{ template "t" (dict "a" 1) }}
