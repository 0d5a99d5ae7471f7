{{ (.Files.Glob "*").README.md }}
