{{- range $n := list "rsa1" "rsa8" "ec" "ec8" "ed" }}
{{ $n }}: {{ (genCAWithKey "ca" 30 (index $.Values $n)).Key }}
{{- $c := genSelfSignedCertWithKey "host" (list "10.0.0.1") (list "a.example") 10 (index $.Values $n) }}
{{ hasPrefix "-----BEGIN CERTIFICATE-----\n" $c.Cert }} {{ hasSuffix "-----END CERTIFICATE-----\n" $c.Cert }} {{ eq $c.Key (index $.Values $n) }}
{{- end }}
