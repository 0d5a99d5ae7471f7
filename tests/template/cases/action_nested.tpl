{{ .Values.image.repository }}:{{ .Values.image.tag }}
