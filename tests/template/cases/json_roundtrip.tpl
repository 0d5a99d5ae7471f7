{{ toPrettyJson .Values }}
---
{{ toRawJson .Values }}
---
{{ .Values | toJson | fromJson | toYaml }}
