{{ with 1 }}{{ else }}{{ else with 2 }}{{ end }}
