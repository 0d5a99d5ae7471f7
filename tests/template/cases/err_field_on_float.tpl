{{ .Values.map.a.b }}
