{{ genSignedCertWithKey "x" nil nil 1 (genCAWithKey "ca" 1 .Values.ec) "junk" }}
