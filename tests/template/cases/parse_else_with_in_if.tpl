{{ if false }}a{{ else with .Values.name }}{{ . }}{{ end }}
