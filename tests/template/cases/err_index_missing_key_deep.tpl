{{ index .Values.map "zz" "y" "x" }}
