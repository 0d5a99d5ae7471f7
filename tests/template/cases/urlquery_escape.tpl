{{ urlquery .Values.str }} {{ urlquery "a&b=c/d?e" }} {{ urlquery .Values.unicode }}
