{{ replace "o" "0" .Values.str }} {{ .Values.str | replace " " "-" }} {{ replace "" "|" "ab" }} {{ replace "x" "y" "" }}
