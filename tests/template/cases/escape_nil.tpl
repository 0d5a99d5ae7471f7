{{ html nil }} {{ urlquery .Values.nope }} {{ js 1 2 }}
