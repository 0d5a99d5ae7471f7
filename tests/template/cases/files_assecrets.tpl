data:
{{ (.Files.Glob "files/**").AsSecrets | indent 2 }}
{{ (.Files.Glob "bin/*").AsSecrets }}
{{ (.Files.Glob "nothing").AsSecrets | quote }}
