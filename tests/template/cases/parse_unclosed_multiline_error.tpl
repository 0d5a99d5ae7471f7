{{ printf "%s"
  .Values.name
