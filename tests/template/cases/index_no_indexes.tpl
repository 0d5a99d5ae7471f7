{{ index .Values.list }}
