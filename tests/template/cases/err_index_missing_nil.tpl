{{ index .Values.missing "a" }}
