{{ printf "%-20s|%20s|%020d|%.10f" .Values.name .Values.str 123 .Values.pi }}
