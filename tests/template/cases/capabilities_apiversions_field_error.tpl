{{ .Capabilities.APIVersions.Foo }}
