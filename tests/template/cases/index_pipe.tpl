{{ 1 | index .Values.list }}
