{{ slice .Values.map 1 }}
