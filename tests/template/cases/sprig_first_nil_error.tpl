{{ first .Values.nope }}
