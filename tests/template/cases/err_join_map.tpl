{{ join "," .Values.map }}
