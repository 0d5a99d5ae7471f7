{{ toYaml .Files }}
{{ toJson .Files }}
{{ toYaml .Release }}
{{ toJson .Capabilities.KubeVersion }}|{{ toJson .Capabilities.APIVersions | trunc 60 }}
{{ toYaml (.Files.Glob "*.txt") }}|{{ toJson (.Files.Get "a.txt") }}|{{ toJson (.Files.GetBytes "a.txt") }}|{{ printf "%v" (.Files.GetBytes "a.txt") }}|{{ printf "%s" (.Files.GetBytes "a.txt") }}
{{ toYaml .Template }}|{{ toJson (semver "1.2.3-rc.1+b") }}|{{ toYaml (semver "1.2.3") }}
{{ .Files.Lines "a.txt" | toJson }}|{{ (.Files.Glob "*.yaml").AsConfig }}|{{ len .Files }}
