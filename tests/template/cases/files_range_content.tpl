{{ range $path, $_ := .Files.Glob "files/sub/*" }}{{ $path }}: {{ $.Files.Get $path | quote }}
{{ end }}{{ $f := .Files }}{{ $f.Get "files/sub/c.txt" }}{{ with .Files }}{{ .Get "README.md" }}{{ end }}
