[{{ (index .Values.map "zz") }}]
