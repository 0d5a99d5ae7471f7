{{ with false }}a{{ else if true }}b{{ end }}
