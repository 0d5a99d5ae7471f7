args:
{{- range $i, $p := .Values.ports }}
  - --port-{{ $p.name }}={{ $p.port | int }}
{{- end }}
  - {{ list .Values.name "x" | join "," | quote }}
