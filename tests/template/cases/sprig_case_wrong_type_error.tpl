{{ upper .Values.replicas }}
