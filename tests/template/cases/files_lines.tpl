{{ range .Files.Lines "files/a.txt" }}[{{ . }}]{{ end }}
{{ .Files.Lines "files/sub/d.conf" }} {{ .Files.Lines "nope" }} {{ len (.Files.Lines "nope") }} {{ typeOf (.Files.Lines "files/a.txt") }}
{{ range $i, $l := .Files.Lines "files/crlf.txt" }}{{ $i }}={{ $l | quote }} {{ end }}
