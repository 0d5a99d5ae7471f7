{{ .Values.image.missing.tag }}
