{{ .Values.mixed }}
{{ print .Values.ports }}
{{ printf "%v" .Values.ports }}
{{ dict "a" nil "b" (list nil 1) "c" (dict) }}
{{ list (dict "x" 1) (list) nil "" }}
{{ print 1 2 "a" "b" 3 nil 4 }}
{{ print "a" 1 }}{{ print 1 "a" }}
{{ println 1 2 "x" }}
{{ .Values.big }} {{ .Values.huge }} {{ .Values.tiny }} {{ .Values.small }}
