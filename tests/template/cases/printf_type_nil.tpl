{{ printf "%T" nil }} {{ printf "%T" .Values.nope }}
