{{ toJson (list 1 .Values.map) | fromJson }}
