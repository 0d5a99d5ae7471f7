{{ concat .Values.list "x" }}
