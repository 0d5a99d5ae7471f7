{{ printf .Values.replicas }}
