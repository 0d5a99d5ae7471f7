{{ len (index .Values.ports 1).name }}
