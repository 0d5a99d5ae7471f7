{{ .Chart }}
{{ .Chart.Metadata }}
