{{ genSelfSignedCert "x" (list 1) nil 1 }}
