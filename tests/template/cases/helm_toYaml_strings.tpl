{{ toYaml (list "yes" "no" "on" "1" "1.5" "" "a: b" "- x" "null" "true" "#c" .Values.multiline "~") }}
