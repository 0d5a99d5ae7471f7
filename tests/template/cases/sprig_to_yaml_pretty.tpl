{{ toYamlPretty .Values }}
---
{{ toYamlPretty (list 1 "a" (dict "k" (list 1 2))) }}
---
{{ toYamlPretty "str" }}|{{ toYamlPretty 3 }}|{{ toYamlPretty nil }}|{{ toYamlPretty (dict) }}|{{ toYamlPretty (list) }}
