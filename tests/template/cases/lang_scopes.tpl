{{- $a := 1 }}{{ if true }}{{ $a := 2 }}{{ $a }}{{ end }}{{ $a }}|{{ with .Values.image }}{{ $a = .tag }}{{ end }}{{ $a }}|{{ range $i, $v := .Values.list }}{{ if eq $i 1 }}{{ $a = $v }}{{ end }}{{ end }}{{ $a }}
{{ range .Values.nums }}{{ with $.Values.map }}{{ if true }}{{ continue }}{{ end }}{{ end }}x{{ end }}|{{ range .Values.nums }}{{ with . }}{{ if gt . 1.0 }}{{ break }}{{ end }}{{ end }}{{ . }}{{ end }}
{{ (dict "a" 1).a }}|{{ (list 1 2) | len }}|{{ (index .Values.ports 1).port }}|{{ ((.Values.map).c).d }}|{{ (.Values).name }}|{{ ($).Values.name }}
{{ define "d1" }}[{{ $ }}|{{ $.x }}]{{ end }}{{ template "d1" (dict "x" 5) }}{{ include "d1" (dict "x" 6) }}
{{ if and .Values.enabled (not .Values.disabled) (eq .Values.name "web") }}all{{ end }}|{{ if or .Values.missing .Values.empty .Values.zero }}any{{ else }}none{{ end }}
{{ with $x := .Values.image.tag }}{{ $x }}{{ end }}|{{ range $k, $_ := .Values.map }}{{ $k }}{{ end }}|{{ $_ := 1 }}{{ $_ }}
{{ block "blk" .Values.image }}{{ .repository }}{{ end }}|{{ template "blk" .Values.image }}
