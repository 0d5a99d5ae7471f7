{{ merge (dict) .Values.map (dict "a" 99) }} {{ mergeOverwrite (dict) .Values.map (dict "a" 99) }}
