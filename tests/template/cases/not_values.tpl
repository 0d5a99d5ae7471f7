{{ not .Values.enabled }} {{ not .Values.empty }} {{ not .Values.nope }} {{ not 0 }}
