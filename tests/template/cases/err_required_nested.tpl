{{ required "image.tag is required!" .Values.image.nope }}
