{{ .Values.mixed }}
