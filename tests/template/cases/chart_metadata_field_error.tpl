{{ .Chart.Metadata.IsRoot }}
