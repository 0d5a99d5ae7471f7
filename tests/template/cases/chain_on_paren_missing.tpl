[{{ (index .Values.map "zz").x }}]
