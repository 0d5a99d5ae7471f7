{{ sortAlpha .Values.map }}
