{{ define "a" }}{{ $x := . }}{{ range $i, $e := $x }}{{ template "b" $e }}{{ end }}{{ end }}{{ define "b" }}({{ .name }}){{ end }}{{ template "a" .Values.ports }}
