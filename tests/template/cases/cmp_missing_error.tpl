{{ gt .Values.nope 1 }}
