{{ js .Values.quote }} {{ js "a=b&c\n" }} {{ js .Values.unicode }}
