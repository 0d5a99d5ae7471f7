{{ merge .Values.list .Values.map }}
