{{ printf "%c|%c|%c" 65 0x263A 233 }}
{{ printf "%U|%#U|%U" 65 0x263A 0x1F600 }}
{{ printf "%q|%q|%q" 65 0x263A 10 }}
{{ printf "%q|%+q|%#q" "héllo ☃" "héllo ☃" "back`tick" }}
{{ printf "%#q|%q" "plain" "tab\there" }}
{{ printf "%q" .Values.list }}
{{ printf "%x|%X" "héllo" "☃" }}
{{ printf "%5q|%-8q|" "a" "b" }}
