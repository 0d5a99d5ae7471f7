{{ .Capabilities.KubeVersion.Major "x" }}
