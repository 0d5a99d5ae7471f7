{{ range $i, $e := .Values.replicas }}{{ $i }}{{ end }}
