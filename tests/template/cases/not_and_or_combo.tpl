{{ not (and .Values.enabled (or .Values.disabled .Values.empty)) }}
