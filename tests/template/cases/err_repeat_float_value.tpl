{{ repeat .Values.replicas "x" }}
