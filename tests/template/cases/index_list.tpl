{{ index .Values.list 1 }} {{ index .Values.ports 0 "name" }}
