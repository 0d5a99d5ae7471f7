{{ call .Values.map }}
