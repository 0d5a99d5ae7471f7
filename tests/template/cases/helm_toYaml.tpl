{{ toYaml .Values.image }}
---
{{ toYaml .Values.mixed }}
---
{{ toYaml .Values.name }}|{{ toYaml .Values.replicas }}|{{ toYaml .Values.big }}|{{ toYaml nil }}|{{ toYaml .Values.emptymap }}|{{ toYaml .Values.emptylist }}
---
{{ toYaml .Values.map | nindent 2 }}
