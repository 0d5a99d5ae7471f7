labels:
  app.kubernetes.io/name: {{ .Values.name | trunc 63 | trimSuffix "-" }}
  version: {{ .Values.image.tag | quote }}
{{- with .Values.image }}
  image: {{ printf "%s:%s" .repository .tag | quote }}
{{- end }}
  replicas: {{ .Values.replicas | default 1 }}
  enabled: {{ .Values.enabled | toString | quote }}
