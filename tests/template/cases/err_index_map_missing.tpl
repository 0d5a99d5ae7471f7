{{ index .Values.map "zz" "y" }}
