{{ toJson .Capabilities.KubeVersion }} {{ toYaml .Capabilities.KubeVersion }} {{ .Capabilities.APIVersions | toJson | len }} {{ toJson (list .Capabilities.KubeVersion) }}
