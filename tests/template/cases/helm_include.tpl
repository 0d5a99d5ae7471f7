{{- define "lbl" -}}
app: {{ .name }}
rel: {{ .rel | default "r" }}
{{- end -}}
labels:
{{ include "lbl" (dict "name" .Values.name) | indent 2 }}
{{ include "lbl" .Values | nindent 4 }}
