{{ typeOf .Values }} {{ kindOf .Values }} {{ typeOf .Template }} {{ typeOf .Release }} {{ typeOf .Subcharts }} {{ .Subcharts }}
{{ keys .Values | sortAlpha }} {{ .Values | toJson }} {{ pick .Values "a" }} {{ hasKey .Values "a" }}
