{{ index .Values.mixed 6 1 }} {{ index .Values.mixed 5 "k" }}
