{{ toRawJson .Values.quote }} {{ toRawJson (dict "a" "<&>") }} {{ toRawJson (list 1 2.5 "x") }}
