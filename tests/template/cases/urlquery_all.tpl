{{ urlquery "~-_. !*'()/?#[]@" }} {{ urlquery 1 2 }} {{ urlquery .Values.map }}
