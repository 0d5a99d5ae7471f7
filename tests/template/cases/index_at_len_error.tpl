{{ index .Values.list 3 }}
