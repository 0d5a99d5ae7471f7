{{ lt 1 2 }} {{ gt 1 2 }} {{ le 2 2 }} {{ ge 1 2 }} {{ lt "a" "b" }} {{ lt .Values.half .Values.replicas }} {{ gt .Values.big 10.0 }}
