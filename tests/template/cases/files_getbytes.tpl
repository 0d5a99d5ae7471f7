{{ .Files.GetBytes "files/a.txt" }} {{ .Files.GetBytes "nope" }} {{ typeOf (.Files.GetBytes "nope") }}
{{ len (.Files.GetBytes "bin/data.bin") }} {{ .Files.GetBytes "bin/data.bin" }} {{ index (.Files.GetBytes "files/a.txt") 0 }}
{{ .Files.Get "bin/data.bin" | b64enc }}
