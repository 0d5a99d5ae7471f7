{{ len .Values.replicas }}
