{{ .Files.Glob "*" | keys }}
