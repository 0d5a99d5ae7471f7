{{ $x := 1 }}{{ define "t" }}{{ $x }}{{ end }}
