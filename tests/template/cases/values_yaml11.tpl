{{ .Values | toJson }}
{{ .Values.a }} {{ typeOf .Values.a }} {{ .Values.mode }} {{ typeOf .Values.mode }} {{ index .Values "1" }} {{ .Values.when }} {{ typeOf .Values.when }}
{{ if .Values.b }}b is on{{ end }} {{ .Values.nested.on }} {{ .Values.nested.port }}
