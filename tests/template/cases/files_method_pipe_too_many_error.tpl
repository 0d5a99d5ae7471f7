{{ "x" | .Files.Get "y" }}
