{{ .Values.map.Get "a" }}
