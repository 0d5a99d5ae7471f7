{{ keys .Values.list }}
