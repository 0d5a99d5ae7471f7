{{ "x" | indent .Values.replicas }}
