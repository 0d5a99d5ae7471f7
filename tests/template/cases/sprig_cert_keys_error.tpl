{{ keys (buildCustomCert (b64enc .Values.cert) (b64enc .Values.key)) }}
