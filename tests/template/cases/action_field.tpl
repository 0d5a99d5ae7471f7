name: {{ .Values.name }}
