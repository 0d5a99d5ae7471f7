{{ with 1 }}{{ break }}{{ end }}
