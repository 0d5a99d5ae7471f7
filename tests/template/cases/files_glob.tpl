{{ range $k, $v := .Files.Glob "files/*" }}{{ $k }} {{ end }}
{{ range $k, $v := .Files.Glob "files/**" }}{{ $k }} {{ end }}
{{ range $k, $v := .Files.Glob "**.txt" }}{{ $k }} {{ end }}
{{ range $k, $v := .Files.Glob "*" }}{{ $k }} {{ end }}
{{ range $k, $v := .Files.Glob "**/a.txt" }}{{ $k }} {{ end }}
{{ len (.Files.Glob "nothing/*") }} {{ typeOf (.Files.Glob "*") }} {{ len (.Files.Glob "**") }}
