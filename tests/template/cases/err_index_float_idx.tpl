{{ index .Values.nums .Values.replicas }}
