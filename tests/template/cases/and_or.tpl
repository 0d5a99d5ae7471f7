{{ and 1 0 }} {{ and 1 2 }} {{ or 0 "" }} {{ or 0 "x" }} {{ or .Values.empty .Values.name }} {{ and .Values.name .Values.empty }}
