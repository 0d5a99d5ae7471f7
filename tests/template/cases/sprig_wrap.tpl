{{ wrap 10 "The quick brown fox jumps over the lazy dog" | quote }}
{{ wrap 5 "averyveryverylongword and short" | quote }}
{{ wrap 0 "a b c" | quote }}
{{ wrap 80 "short" | quote }}
{{ wrap 3 "   leading spaces here" | quote }}
{{ wrapWith 5 "\t" "Hello World" | quote }}
{{ wrapWith 4 "<br>" "averyveryverylongword and short" | quote }}
{{ wrapWith 10 "" "The quick brown fox jumps" | quote }}
{{ wrap 10 "" | quote }}
