{{ index .Values.mixed 4 0 }}
