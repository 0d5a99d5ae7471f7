{{ range .Values.n }}{{ if lt . 1.0 }}lt1{{ else if lt . 2.0 }}lt2{{ else if lt . 3.0 }}lt3{{ else }}big{{ end }},{{ end }}
