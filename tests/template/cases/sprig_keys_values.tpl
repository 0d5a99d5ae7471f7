{{ keys .Values.image | sortAlpha }} {{ keys .Values.map .Values.image | sortAlpha }} {{ values (dict "a" 1) }} {{ keys (dict) }}
