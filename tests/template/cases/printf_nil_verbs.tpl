{{ printf "%d|%s" nil .Values.nope }}
