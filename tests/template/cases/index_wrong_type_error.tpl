{{ index .Values.replicas 1 }}
