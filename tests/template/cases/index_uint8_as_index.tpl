{{ index .Values.list (index "\x01" 0) }}
