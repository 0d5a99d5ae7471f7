{{ $a := 0 }}{{ range $a, 1 }}{{ end }}
