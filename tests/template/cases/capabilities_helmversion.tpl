{{ .Capabilities.HelmVersion }}
{{ .Capabilities.HelmVersion.Version }} {{ .Capabilities.HelmVersion.GoVersion }} {{ typeOf .Capabilities.HelmVersion }} {{ .Capabilities.HelmVersion.GitTreeState }}
