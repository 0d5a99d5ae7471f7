{{ slice .Values.list 1 5 }}
