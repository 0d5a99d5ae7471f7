{{ printf "%s-%s"
   .Values.name
   .Values.image.tag }}
