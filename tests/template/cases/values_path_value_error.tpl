{{ .Values.PathValue "map" }}
