{{ .Chart.Foo }}
