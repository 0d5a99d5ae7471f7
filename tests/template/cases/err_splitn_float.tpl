{{ splitn "," .Values.replicas "a,b" }}
