{{ reverse .Values.list }} {{ uniq (list 1 1 2 "a" "a" 1.0) }} {{ compact (list 0 1 "" "x" nil false true (list)) }} {{ without .Values.list "b" "c" }}
