{{ first .Values.map }}
