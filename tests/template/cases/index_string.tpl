{{ index .Values.str 0 }}
