{{ quote .Values.name }} {{ quote .Values.replicas .Values.nope "x" }} {{ squote .Values.name .Values.half }} {{ quote .Values.quote }} {{ quote }} {{ .Values.list | quote }} {{ squote nil }}
