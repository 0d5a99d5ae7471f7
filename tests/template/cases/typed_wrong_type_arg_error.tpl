{{ semverCompare ">=1.20" .Capabilities.KubeVersion }}
