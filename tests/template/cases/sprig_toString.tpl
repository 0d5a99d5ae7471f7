{{ toString .Values.replicas }} {{ toString .Values.list }} {{ toString nil }} {{ toString .Values.enabled }} {{ toString 5 }} {{ printf "%T" (toString 5) }}
