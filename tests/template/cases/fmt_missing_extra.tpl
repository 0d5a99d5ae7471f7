{{ printf "%d" "x" }}
{{ printf "%d %s" 1 }}
{{ printf "%s" "a" "b" 3 }}
{{ printf "%!" }}
{{ printf "%z" 3 }}
{{ printf "%s" nil }}
{{ printf "%d" nil }}
{{ printf "%d" .Values.nullval }}
{{ printf "%s" .Values.missing }}
{{ printf "%t" 1 }}
{{ printf "%s" 3.5 }}
{{ printf "%d" true }}
{{ printf "%s %s" .Values.list .Values.map }}
{{ printf "%d" .Values.list }}
{{ printf "%d" .Values.nums }}
{{ printf "%.2f" .Values.nums }}
{{ printf "%s" (list 1 "a" nil) }}
{{ printf "%" }}
{{ printf "abc%" }}
{{ printf "%[2]d %[1]d" 1 2 }}
{{ printf "%[3]d" 1 2 }}
{{ printf "%[x]d" 1 }}
