{{ fromToml "[a]\nb=1\n[a.c]\n[a]" }}|{{ fromToml "a = {b=1}\n[a]" }}|{{ fromToml "a.b = 1\n[a]\nc=2" }}
