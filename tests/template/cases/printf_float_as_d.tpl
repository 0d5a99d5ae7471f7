{{ printf "%d replicas" .Values.replicas }}
