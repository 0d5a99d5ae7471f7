{{ eq .Values.replicas 3 }}
