{{ with .Values.replicas }}{{ . }} {{ printf "%T" . }}{{ end }}
