{{ .Files.nope }}|{{ typeOf .Files.nope }}|{{ index .Files "nope" }}|{{ typeOf (index .Files "nope") }}|{{ .Files.nope | toJson }}|{{ index (.Files.Glob "x") "y" }}|{{ .Files.GetBytes "nope" | toJson }}|{{ index .Files "nope" | toJson }}|{{ len .Files.nope }}
{{ toYaml (dict "a" .Files.nope "b" (.Files.GetBytes "nope")) }}
