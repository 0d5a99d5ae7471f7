{{ toToml .Values }}
---
{{ toToml (dict "a" (dict "b" (dict "c" 1 "d" "x") "e" (list 1 2)) "z" true "arr" (list (dict "n" 1) (dict "n" 2 "sub" (dict "q" "r"))) "inl" (list (dict "x" (dict "y" 1)) 5) "weird key" "v" "" "empty" "f" 0.5 "g" 1e21 "h" 1e-7 "i" -2.0 "s" "quote\" back\\ tab\t nl\n bell\x07 é") }}
---
{{ toToml "str" }}|{{ toToml 3 }}|{{ toToml (list 1 "a") }}|{{ toToml (list (dict "a" 1)) }}|{{ toToml (dict "k" (list 1 nil)) }}|{{ toToml (dict) }}|{{ toToml (dict "m" (dict)) }}|{{ toToml (dict "n" nil "o" 1) }}
