{{ lt .Values.replicas 5 }}
