{{ print (print (print (print .Values.name))) }}
