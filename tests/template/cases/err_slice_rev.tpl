{{ slice .Values.list 2 1 }}
