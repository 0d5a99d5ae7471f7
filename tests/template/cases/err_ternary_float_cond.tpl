{{ ternary 1 2 .Values.replicas }}
