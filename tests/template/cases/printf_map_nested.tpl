{{ printf "%v" .Values.mixed }} {{ printf "%d" .Values.mixed }} {{ printf "%s" .Values.map }}
