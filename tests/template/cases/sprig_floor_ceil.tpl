{{ floor 2.7 }} {{ ceil 2.1 }} {{ floor .Values.neg }} {{ ceil "3.2" }} {{ printf "%T" (floor 1) }}
