{{ and .Values.a.b true }}
