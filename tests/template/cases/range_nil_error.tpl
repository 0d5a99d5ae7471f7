a{{ range nil }}{{ end }}
