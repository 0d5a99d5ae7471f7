{{ .Files.GetBytes "files/a.txt" | upper }}
