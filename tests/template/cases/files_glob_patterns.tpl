{{ range $k, $_ := .Files.Glob "files/{a,b}.*" }}{{ $k }} {{ end }}
{{ range $k, $_ := .Files.Glob "files/?.txt" }}{{ $k }} {{ end }}
{{ range $k, $_ := .Files.Glob "files/[ab].*" }}{{ $k }} {{ end }}
{{ range $k, $_ := .Files.Glob "files/[!a]*" }}{{ $k }} {{ end }}
{{ range $k, $_ := .Files.Glob "files/[a-c]*" }}{{ $k }} {{ end }}
{{ range $k, $_ := .Files.Glob "files/sub/*.{txt,conf}" }}{{ $k }} {{ end }}
{{ range $k, $_ := .Files.Glob "{README.md,config.json}" }}{{ $k }} {{ end }}
{{ range $k, $_ := .Files.Glob "files\\/a.txt" }}{{ $k }} {{ end }}
{{ len (.Files.Glob "files/[") }} {{ len (.Files.Glob "files/{a") }} {{ len (.Files.Glob "files/*/*") }} {{ len (.Files.Glob "") }}
