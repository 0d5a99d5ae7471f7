{{ lt .Values.list .Values.list }}
