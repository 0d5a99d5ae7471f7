{{ sortAlpha (list "b" "a" "C") }}|{{ sortAlpha (list 3 1 2) }}|{{ sortAlpha (list 10 9 "a") }}|{{ sortAlpha "str" }}
{{ uniq (list 1 1 "a" "a" 1.0 nil nil) }}|{{ without (list 1 2 3 2) 2 }}|{{ without (list 1 2 3) 1 3 }}|{{ has 2 (list 1 2) }}|{{ has "2" (list 1 2) }}|{{ has nil (list nil) }}
{{ compact (list 1 "" nil 0 false "a" (list) (dict)) }}|{{ first (list) }}|{{ last (list) }}|{{ rest (list) }}|{{ initial (list) }}
{{ first .Values.list }}|{{ last .Values.list }}|{{ rest .Values.list }}|{{ initial .Values.list }}|{{ reverse .Values.list }}|{{ reverse (list) }}
{{ concat (list 1) (list 2 3) (list) }}|{{ append (list 1) 2 }}|{{ prepend (list 1) 0 }}|{{ push (list) "x" }}|{{ until 3 }}|{{ until 0 }}|{{ until -2 }}|{{ untilStep 0 10 3 }}|{{ untilStep 10 0 -3 }}|{{ untilStep 0 10 0 }}
{{ seq 3 }}|{{ seq 2 5 }}|{{ seq 5 2 }}|{{ seq 0 2 10 }}|{{ seq 10 -3 1 }}|{{ seq 0 }}|{{ seq -1 }}|{{ tuple 1 "a" nil }}
{{ slice (list 1 2 3) 1 }}|{{ slice (list 1 2 3) 1 2 }}|{{ slice (list 1 2 3) }}|{{ chunk 2 (list 1 2 3) }}|{{ chunk 5 (list) }}
{{ $l := list 1 2 }}{{ $_ := append $l 3 }}{{ $l }}|{{ mustAppend $l 4 }}|{{ mustPrepend $l 0 }}|{{ mustReverse $l }}|{{ mustUniq (list 1 1) }}
