{{ slice .Values.str 0 5 }}
