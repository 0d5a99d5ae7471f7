{{ .Capabilities }}
{{ typeOf .Capabilities }} {{ typeOf .Capabilities.KubeVersion }}
