{{ printf "%v|%s|%d|%q|%t|%T" .Values.name .Values.name 42 .Values.name true 42 }}
