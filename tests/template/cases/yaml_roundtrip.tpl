{{ toYaml .Values }}
---
{{ toJson .Values }}
---
{{ .Values | toYaml | fromYaml | toJson }}
