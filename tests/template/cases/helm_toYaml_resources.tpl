resources:
  {{- toYaml .Values.resources | nindent 2 }}
