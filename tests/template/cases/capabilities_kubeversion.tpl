{{ .Capabilities.KubeVersion }}|{{ .Capabilities.KubeVersion.Version }}|{{ .Capabilities.KubeVersion.Major }}|{{ .Capabilities.KubeVersion.Minor }}|{{ .Capabilities.KubeVersion.GitVersion }}|{{ .Capabilities.KubeVersion.String }}
{{ $x := .Capabilities.KubeVersion }}{{ $x }} {{ print $x }} {{ printf "%v|%s|%d" $x $x $x }} {{ typeOf $x }} {{ list $x }}
{{ semverCompare ">=1.20-0" .Capabilities.KubeVersion.GitVersion }} {{ semverCompare "<1.19" .Capabilities.KubeVersion.Version }}
