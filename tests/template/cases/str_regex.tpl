{{ regexReplaceAll "a(x*)b" "-ab-axxb-" "${1}W" }}|{{ regexReplaceAll "a(x*)b" "-ab-axxb-" "$1W" }}|{{ regexReplaceAllLiteral "a(x*)b" "-ab-axxb-" "${1}" }}
{{ regexReplaceAll "(?P<first>\\w+) (?P<last>\\w+)" "John Smith" "$last, $first" }}|{{ regexReplaceAll "a" "banana" "$$" }}|{{ regexReplaceAll "(a)" "banana" "$2x" }}
{{ regexFind "[0-9]+" "abc123def456" }}|{{ regexFind "z" "abc" }}|{{ regexFindAll "[0-9]" "a1b2c3" 2 }}|{{ regexFindAll "[0-9]" "a1b2c3" -1 }}|{{ regexFindAll "[0-9]" "a1b2c3" 0 }}
{{ regexSplit "[,;]" "a,b;c,d" -1 }}|{{ regexSplit "[,;]" "a,b;c,d" 2 }}|{{ regexSplit "[,;]" "a,b;c,d" 0 }}|{{ regexSplit "" "abc" -1 }}|{{ regexSplit "x*" "axbc" -1 }}
{{ regexMatch "^[a-z]+$" "abc" }}|{{ regexMatch "(?i)ABC" "abc" }}|{{ regexQuoteMeta "a.b*c" }}|{{ regexFind "(?m)^b" "a\nb" }}
{{ regexReplaceAll "\\s+" "a  b \t c" " " }}|{{ regexReplaceAll "^" "abc" ">" }}|{{ regexReplaceAll "" "abc" "-" }}|{{ regexReplaceAll "[^a-z0-9-]" "My_App.Name" "-" | lower }}
