{{ index .Values.list -1 }}
