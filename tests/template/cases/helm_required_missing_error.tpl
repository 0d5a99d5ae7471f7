a: {{ required "value 'foo' is required" .Values.foo }}
