{{ index .Values.map "a" }} {{ index .Values.map "c" "d" }} [{{ index .Values.map "zz" }}]
