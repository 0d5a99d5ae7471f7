{{ .Chart.Name "x" }}
