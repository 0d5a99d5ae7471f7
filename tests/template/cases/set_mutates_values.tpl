{{- $_ := set .Values "added" "yes" }}{{ .Values.added }}
{{- $_ := set .Values.image "tag" "2.0" }} {{ .Values.image.tag }} {{ .Values.image }}
{{- $_ := unset .Values.map "a" }} {{ .Values.map }}
{{- $c := deepCopy .Values.image }}{{ $_ := set $c "tag" "3.0" }} {{ .Values.image.tag }} {{ $c.tag }}
{{- $m := merge (dict "image" (dict "tag" "m")) .Values }} {{ $m.image.tag }} {{ .Values.image.tag }}
{{- $l := .Values.list }}{{ $l2 := append $l "d" }} {{ .Values.list }} {{ $l2 }}
{{- $_ := set .Values "list" (append .Values.list "z") }} {{ .Values.list }}
