{{- range list "FirstName" "HTTPServer" "NoHTTPS" "GO_PATH" "GO PATH" "GO-PATH" "http2xx" "HTTP20xOK" "Duration2m3s" "Bld4Floor3rd" "" "a" "A" "__x__" "foo.bar" "fooBar!Baz" "x1y2Z3" "123abc" "abc123" "ABC123" "hello world-foo_bar" "already_snake" "a--b" "HTTPStatusCode" "iOS" "ID" "Élan Vital" "k8s.io" "v1.2.3" "$dollar" "tab	sep" }}
{{ . }}={{ snakecase . }}={{ kebabcase . }}
{{- end }}
