{{ first .Values.name }}
