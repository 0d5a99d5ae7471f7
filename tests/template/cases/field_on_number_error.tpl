
  {{ .Values.replicas.x }}
