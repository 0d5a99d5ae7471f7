{{ len .Values.nope }}
