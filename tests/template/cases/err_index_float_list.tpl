{{ index .Values.nums 2.0 }}
