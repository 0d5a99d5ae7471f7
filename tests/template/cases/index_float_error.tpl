{{ index .Values.list .Values.replicas }}
