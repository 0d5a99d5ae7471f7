{{ printf "%T %T %T %T" (int 1) (int64 1) (float64 1) (atoi "1") }} {{ int .Values.big }} {{ float64 .Values.replicas }}
