{{ index .Values "map" "c" "d" }}|{{ index .Values.ports 1 "port" }}|{{ index .Values.list 0 }}|{{ index .Values.map "zz" }}|{{ index (dict "a" (list 1 2)) "a" 1 }}|{{ index "abc" 1 }}
{{ (index .Values.ports 0).name }}|{{ index . "Values" "str" }}|{{ index .Values }}
