{{- range list "https://user:pa%20ss@example.com:8443/a/b%20c?x=1&y=2#frag%21" "http://example.com" "mailto:joe@example.com" "/relative/path?q" "//host.only/p" "HTTP://UPPER.example/X" "http://[::1]:80/v6" "http://h/?" "file:///etc/hosts" "" "?just=query" "#only-frag" "http://u@h" "scheme:opaque?q#f" "http://h/p;params" "a/b:c" }}
{{ . | quote }} => {{ urlParse . }}
{{- end }}
