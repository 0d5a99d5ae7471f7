{{ required "need name" .Values.name }} {{ required "x" .Values.replicas }}
