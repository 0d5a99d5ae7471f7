{{ until .Values.replicas }}
