{{ index .Values.str 0 1 }}
