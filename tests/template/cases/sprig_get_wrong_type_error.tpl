{{ get .Values.list "a" }}
