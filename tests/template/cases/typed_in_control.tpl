{{ with .Capabilities.KubeVersion }}{{ .Major }}.{{ .Minor }}{{ end }} {{ range $i, $v := .Capabilities.APIVersions }}{{ if lt $i 3 }}{{ $v }},{{ end }}{{ end }}
{{ define "f" }}{{ .Get "README.md" }}{{ end }}{{ template "f" .Files }}{{ include "f" .Files | trim }}
{{ if eq .Capabilities.KubeVersion.Major "1" }}major1{{ end }} {{ and .Files .Capabilities | typeOf }} {{ default .Files .Values.nope | typeOf }} {{ empty .Files }} {{ len .Files }}
{{ $caps := .Capabilities }}{{ $caps.KubeVersion }} {{ (index $caps.APIVersions 1) }} {{ tpl "{{ .Capabilities.KubeVersion.Version }}|{{ .Files.Get \"files/sub/d.conf\" }}" . }}
{{ .Capabilities.KubeVersion | toString }} {{ .Capabilities.KubeVersion | typeOf }} {{ printf "%T %T" .Files .Chart }}
