{{ call .Values.nope }}
