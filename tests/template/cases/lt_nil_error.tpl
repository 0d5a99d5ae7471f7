{{ lt .Values.nope 5 }}
