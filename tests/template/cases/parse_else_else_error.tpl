{{ if true }}a{{ else }}b{{ else }}c{{ end }}
