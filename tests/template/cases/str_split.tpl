{{ splitList "," "a,b,,c" }}|{{ splitList "," "" }}|{{ splitList "" "abc" }}|{{ split "," "a,b" }}|{{ (split "," "a,b")._1 }}|{{ splitn "," 2 "a,b,c" }}|{{ (splitn "," 2 "a,b,c")._1 }}
{{ range $k, $v := split "." "1.2.3" }}{{ $k }}={{ $v }};{{ end }}
{{ splitn "," 0 "a,b" }}|{{ splitn "," -1 "a,b,c" }}|{{ split "" "ab" }}|{{ splitList "ab" "xabyabz" }}
{{ join "," (list 1 "a" 2.5 true nil) }}|{{ join "-" (list) }}|{{ join "," "notalist" }}|{{ join ", " .Values.nums }}|{{ join "," nil }}
{{ toStrings (list 1 "a" nil 2.5 true) }}|{{ printf "%q" (toStrings (list 1 nil)) }}
