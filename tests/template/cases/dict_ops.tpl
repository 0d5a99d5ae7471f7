{{ $d := dict "a" 1 "b" (dict "c" 2) }}{{ $_ := set $d "x" 9 }}{{ $d }}|{{ unset $d "a" }}|{{ $d }}|{{ set (dict) "k" "v" }}
{{ $m1 := dict "a" (dict "b" 1 "c" (list 1)) "d" 0 "e" "" }}{{ $m2 := dict "a" (dict "b" 2 "z" 3) "d" 5 "e" "x" "f" false }}
{{ merge (deepCopy $m1) $m2 }}|{{ mergeOverwrite (deepCopy $m1) $m2 }}|{{ $m1 }}
{{ pluck "a" (dict "a" 1) (dict "b" 2) (dict "a" 3) }}|{{ dig "a" "b" "def" (dict "a" (dict "b" "v")) }}|{{ dig "a" "x" "def" (dict "a" (dict "b" "v")) }}
{{ pick (dict "a" 1 "b" 2 "c" 3) "a" "c" "z" }}|{{ omit (dict "a" 1 "b" 2 "c" 3) "a" "z" }}|{{ keys (dict "b" 1 "a" 2) | sortAlpha }}|{{ values (dict "b" 1 "a" 2) | sortAlpha }}
{{ hasKey (dict "a" nil) "a" }}|{{ get (dict "a" 1) "b" }}|{{ get (dict "a" 1) "a" }}|{{ dict "a" }}|{{ dict 1 2 }}|{{ dict "a" 1 "a" 2 }}|{{ dict }}
{{ deepCopy .Values.map }}|{{ deepCopy nil }}|{{ deepCopy 3 }}|{{ deepCopy "s" }}|{{ keys .Values.map | sortAlpha }}|{{ keys (dict) }}
{{ merge (dict) .Values.map (dict "z" 1) }}|{{ .Values.map }}
