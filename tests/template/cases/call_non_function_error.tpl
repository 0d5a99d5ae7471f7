{{ call .Values.name 1 }}
