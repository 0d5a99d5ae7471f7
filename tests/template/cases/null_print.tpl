[{{ .Values.nullval }}] [{{ print .Values.nullval }}]
