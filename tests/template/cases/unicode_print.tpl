{{ .Values.unicode }} {{ len .Values.unicode }}
