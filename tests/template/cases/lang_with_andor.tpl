{{ with .Values.missing }}a{{ else with .Values.str }}b:{{ . }}{{ else }}c{{ end }}|{{ with 0 }}x{{ else }}zero{{ end }}|{{ with $v := .Values.image }}{{ $v.tag }}{{ .tag }}{{ end }}
{{ and 1 "a" }}|{{ and 1 0 "a" }}|{{ or 0 "" "x" }}|{{ or 0 "" }}|{{ or nil }}|{{ and .Values.list .Values.map }}|{{ or .Values.emptylist .Values.nums }}|{{ and true nil }}|{{ or false (list) }}
{{ not 0 }}|{{ not "a" }}|{{ not nil }}|{{ not (list) }}|{{ eq "a" "a" "b" }}|{{ eq 1 2 1 }}|{{ ne 1 2 }}|{{ lt "a" "b" }}|{{ lt "B" "a" }}|{{ le 2 2 }}|{{ gt 2.5 1.5 }}|{{ ge "b" "a" }}|{{ eq .Values.replicas 3.0 }}|{{ eq nil nil }}|{{ eq .Values.nullval nil }}
{{ lt 1 2 }}|{{ eq 3 (len .Values.list) }}|{{ eq (int .Values.replicas) 3 }}|{{ lt -1 0 }}|{{ eq true true }}|{{ ne "a" nil }}|{{ eq .Values.missing nil }}
