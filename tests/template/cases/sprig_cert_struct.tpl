{{ $c := buildCustomCert (b64enc .Values.cert) (b64enc .Values.key) }}{{ $c }}|{{ typeOf $c }}|{{ kindOf $c }}|{{ $c.Cert | sha256sum }}|{{ eq $c.Key .Values.key }}|{{ printf "%v" $c | len }}
