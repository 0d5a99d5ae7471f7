{{ index .Values.nope "x" }}
