{{ buildCustomCert (b64enc "no pem") (b64enc "x") }}
