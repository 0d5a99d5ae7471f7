{{ define "t" }}{{ len 3 }}{{ end }}{{ template "t" }}
