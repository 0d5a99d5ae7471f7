[{{ tpl .Values.wrapper . }}] [{{ tpl "" . }}] [{{ tpl .Values.ws . }}] [{{ tpl .Values.defonly . }}] [{{ tpl .Values.wrap2 . }}]
