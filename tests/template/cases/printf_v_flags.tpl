{{ printf "%+v|%#v|%#v" .Values.nums "s" 42 }}
