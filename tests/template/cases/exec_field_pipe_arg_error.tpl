{{ 1 | .Values.image.tag }}
