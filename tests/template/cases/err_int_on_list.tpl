{{ int .Values.list }}x
