{{ round 3.14159 2 }} {{ round 2.5 0 }} {{ round 2.4 0 }} {{ round 1.25 1 0.6 }} {{ round .Values.pi 3 }} {{ maxf 1 2.5 .Values.half }} {{ minf 3 1.5 "0.5" }} {{ round "2.567" 1 }}
