{{ last .Values.map }}
