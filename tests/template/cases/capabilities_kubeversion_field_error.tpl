{{ .Capabilities.KubeVersion.Foo }}
