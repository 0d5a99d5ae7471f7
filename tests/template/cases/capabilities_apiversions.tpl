{{ .Capabilities.APIVersions.Has "apps/v1" }} {{ .Capabilities.APIVersions.Has "apps/v1/Deployment" }} {{ .Capabilities.APIVersions.Has "nope/v1" }} {{ "batch/v1" | .Capabilities.APIVersions.Has }}
{{ len .Capabilities.APIVersions }} {{ typeOf .Capabilities.APIVersions }} {{ index .Capabilities.APIVersions 0 }} {{ has "v1" .Capabilities.APIVersions }}
{{ if .Capabilities.APIVersions.Has "policy/v1" }}policy/v1{{ else }}policy/v1beta1{{ end }}
{{ .Capabilities.APIVersions }}
