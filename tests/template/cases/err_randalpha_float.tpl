{{ randAlphaNum .Values.replicas }}
