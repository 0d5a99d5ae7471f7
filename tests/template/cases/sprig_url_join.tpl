{{ urlJoin (dict "scheme" "https" "host" "example.com:8443" "path" "/a b/c" "query" "x=1" "fragment" "f g" "userinfo" "user:pass") }}
{{ urlJoin (dict "host" "h" "path" "rel") }}
{{ urlJoin (dict "path" "a:b/c") }}
{{ urlJoin (dict "scheme" "mailto" "opaque" "joe@example.com") }}
{{ urlJoin (dict) }}|
{{ urlJoin (urlParse "https://user:pa%20ss@example.com:8443/a/b%20c?x=1&y=2#frag%21") }}
{{ urlJoin (dict "scheme" "http" "host" "h" "userinfo" "u%40x") }}
{{ urlJoin (dict "scheme" "http" "path" "/p?q#") }}
