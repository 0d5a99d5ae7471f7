{{ with 5 }}{{ . }}{{ end }}
