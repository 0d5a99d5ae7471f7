{{ .Release.Foo }}
