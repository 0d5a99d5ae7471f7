{{ get .Values.map 1 }}
