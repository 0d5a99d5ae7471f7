data:
{{ (.Files.Glob "files/**").AsConfig | indent 2 }}
---
{{ (.Files.Glob "files/sub/*").AsConfig }}
{{ (.Files.Glob "nothing").AsConfig | quote }} {{ (.Files.Glob "files/empty.txt").AsConfig }}
