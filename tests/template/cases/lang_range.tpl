{{ range $k, $v := .Values.map }}{{ $k }}:{{ $v }};{{ end }}
{{ range $i, $e := .Values.list }}{{ if eq $i 1 }}{{ continue }}{{ end }}{{ $e }}{{ end }}
{{ range .Values.nums }}{{ range $.Values.list }}{{ if eq . "b" }}{{ break }}{{ end }}{{ . }}{{ end }}{{ if eq . 2.0 }}{{ continue }}{{ end }}/{{ . }}/{{ end }}
{{ $x := "outer" }}{{ range .Values.list }}{{ $x := . }}{{ $x }}{{ end }}{{ $x }}|{{ range .Values.list }}{{ $x = . }}{{ end }}{{ $x }}
{{ range $i, $c := "abc" | splitList "" }}{{ $i }}{{ $c }}{{ end }}|{{ range $k, $v := dict }}x{{ else }}none{{ end }}|{{ range .Values.missing }}x{{ else }}miss{{ end }}
{{ range $i, $v := until 3 }}{{ $i }}{{ $v }}{{ end }}|{{ range (list) }}{{ else }}E{{ end }}
