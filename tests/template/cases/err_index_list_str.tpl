{{ index .Values.list "a" }}
