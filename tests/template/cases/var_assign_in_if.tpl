{{ $x := "outer" }}{{ if true }}{{ $x = "changed" }}{{ end }}{{ $x }}
