{{ .Release.Name }} {{ .Release.Namespace }} {{ .Release.Revision }} {{ typeOf .Release.Revision }} {{ .Release.IsInstall }} {{ .Release.IsUpgrade }} {{ .Release.Service }} [{{ .Release.Foo }}]
{{ .Template.Name }} {{ .Template.BasePath }} {{ .Release }}
{{ .Template }} {{ include "x" . }}{{ define "x" }}{{ .Template.Name }}{{ end }}
