{{ printf (len .Values.list }}
