{{ .Chart.Name.Foo }}
