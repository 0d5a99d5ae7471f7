{{ .Files.Get "files/a.txt" }}|{{ .Files.Get "nope" | quote }}|{{ .Files.Get "files/sub/d.conf" }}|{{ "files/b.yaml" | .Files.Get }}|{{ .Files.Get "README.md" | upper }}
{{ typeOf (.Files.Get "files/a.txt") }} {{ len (.Files.Get "files/a.txt") }} {{ .Files.Get "Chart.yaml" | quote }} {{ .Files.Get "values.yaml" | quote }} {{ .Files.Get "templates/case.yaml" | quote }}
{{ (.Files.Get "files/b.yaml" | fromYaml).n }} {{ .Files.Get "config.json" | fromJson | toJson }}
