{{ urlParse "https://user:pw@example.com:8443/a/b?x=1&y=2#frag" | toJson }}
{{ urlParse "/rel/path" | toJson }}
{{ urlParse "mailto:a@b.c" | toJson }}
{{ urlJoin (dict "scheme" "https" "host" "h.com" "path" "/p" "query" "a=1") }}|{{ urlJoin (dict "host" "h" "path" "x y") }}|{{ urlJoin (dict "scheme" "http" "host" "h" "userinfo" "u:p" "fragment" "f g") }}
{{ urlquery "a b&c=d/é" }}|{{ (urlParse "http://h/p%20q").path }}|{{ (urlParse "http://[::1]:80/").host }}
