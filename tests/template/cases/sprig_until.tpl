{{ until 5 }} {{ until -3 }} {{ until 0 }} {{ untilStep 0 10 3 }} {{ untilStep 10 0 -4 }} {{ untilStep 0 10 -1 }} {{ range until 3 }}{{ . }}{{ end }}
