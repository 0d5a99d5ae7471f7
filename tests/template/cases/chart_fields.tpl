{{ .Chart.Name }} {{ .Chart.Version }} {{ .Chart.APIVersion }} {{ .Chart.IsRoot }} {{ .Chart.Metadata.Name }} {{ .Chart.AppVersion | quote }} {{ .Chart.Keywords }} {{ .Chart.Annotations }} {{ .Chart.Deprecated }} {{ .Chart.Type | quote }}
{{ typeOf .Chart }} {{ typeOf .Chart.Metadata }} {{ typeOf .Chart.Keywords }} {{ printf "%s-%s" .Chart.Name .Chart.Version }}
