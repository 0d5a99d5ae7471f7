{{ seq .Values.replicas }}
