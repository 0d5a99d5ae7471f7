{{ default "d" 0 }}|{{ default "d" "" }}|{{ default "d" false }}|{{ default "d" (list) }}|{{ default "d" (dict) }}|{{ default "d" nil }}|{{ default "d" .Values.missing }}|{{ default "d" 0.0 }}|{{ default "d" "0" }}|{{ default "d" 1 }}
{{ empty 0 }}|{{ empty "" }}|{{ empty (list) }}|{{ empty (dict) }}|{{ empty false }}|{{ empty nil }}|{{ empty 0.0 }}|{{ empty " " }}|{{ empty .Values.emptymap }}|{{ empty .Values.missing }}
{{ coalesce 0 "" nil "x" }}|{{ coalesce }}|{{ coalesce 0 }}|{{ all 1 "a" true }}|{{ all 1 "" }}|{{ all }}|{{ any 0 "" }}|{{ any }}|{{ any 0 "x" }}
{{ ternary "a" "b" true }}|{{ ternary "a" "b" false }}|{{ true | ternary 1 2 }}|{{ ternary 1 2 .Values.enabled }}
{{ .Values.replicas | default 1 }}|{{ .Values.zero | default 5 }}|{{ .Values.disabled | default true }}|{{ .Values.nullval | default "n" }}
