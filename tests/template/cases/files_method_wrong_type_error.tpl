{{ .Files.Get 1 }}
