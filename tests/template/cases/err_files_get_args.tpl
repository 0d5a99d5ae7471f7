{{ .Files.Get }}
