{{ index .Values "my-key" }} {{ index .Values "a.b" }}
