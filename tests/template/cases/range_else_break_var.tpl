{{ $n := 0 }}{{ range $i, $v := .Values.list }}{{ $n = $i }}{{ if ge $i 1 }}{{ break }}{{ end }}{{ end }}{{ $n }}
