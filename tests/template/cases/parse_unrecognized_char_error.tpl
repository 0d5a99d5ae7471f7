{{ .Values.name  }}
