{{ or .Values.name (index .Values.list 10) }} {{ and .Values.empty (index .Values.list 10) }}
