{{ coalesce .Values.nope .Values.empty .Values.name }} [{{ coalesce 0 "" }}] {{ ternary "yes" "no" true }} {{ ternary "yes" "no" .Values.disabled }} {{ .Values.enabled | ternary 1 2 }}
