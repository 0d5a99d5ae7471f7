{{ trunc .Values.replicas "abcdef" }}
