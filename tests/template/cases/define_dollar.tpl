{{ define "t" }}{{ $ }}{{ end }}{{ template "t" 5 }}
