{{ index .Values.missing }}
