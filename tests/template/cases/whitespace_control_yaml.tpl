spec:
  containers:
  {{- range .Values.ports }}
    - name: {{ .name }}
      port: {{ .port }}
  {{- end }}
