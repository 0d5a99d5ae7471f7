{{ .Values.image.tag 1 }}
