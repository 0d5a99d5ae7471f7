{{ $m := merge (dict "image" (dict "tag" "override")) .Values.image (dict "extra" 1) }}{{ $m }} {{ .Values.image }}
