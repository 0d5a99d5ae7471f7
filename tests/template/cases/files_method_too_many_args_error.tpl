{{ .Files.Get "a" "b" }}
