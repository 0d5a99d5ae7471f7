{{ .Files.Get "f.txt" | quote }}|{{ .Values.v }}
