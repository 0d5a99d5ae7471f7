{{ toToml .Values }}
---
{{ toToml .Values.servers }}|{{ toToml "s" }}|{{ toToml 3 }}|{{ toToml (dict "a" (list (dict "b" 1) 2)) }}
