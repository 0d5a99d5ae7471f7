{{ range $k, $v := .Files.Glob "files/sub/*" }}{{ $k }}={{ $v }} {{ typeOf $v }} {{ $v | toString }} {{ len $v }} {{ kindOf $v }} {{ $v | quote }}
{{ end }}{{ .Files.Glob "files/sub/*" }} {{ .Files.Glob "files/sub/*" | toJson }} {{ index .Files "files/sub/c.txt" }}
{{ $b := .Files.GetBytes "files/sub/c.txt" }}{{ printf "%s|%v|%x|%q|%d|%X" $b $b $b $b $b $b }} {{ toJson $b }} {{ print $b "a" $b 1 $b }} {{ list $b | toJson }}
{{ index $b 0 }} {{ typeOf (index $b 0) }} {{ empty (.Files.GetBytes "nope") }} {{ .Files.GetBytes "nope" | toJson }} {{ toYaml (.Files.Glob "files/sub/*") }}
{{ deepCopy .Values | toJson }} {{ (deepCopy .Files) | len }}
