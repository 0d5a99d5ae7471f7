{{ regexSplit "," "a,b,,c" -1 }} {{ regexSplit "," "a,b,c" 2 }} {{ regexSplit "x*" "abc" -1 }} {{ regexSplit "," "" -1 }} {{ regexSplit "," "a" 0 }} {{ regexQuoteMeta "a.b*c" }}
