{{ .Files.Lines "files/empty.txt" }}
