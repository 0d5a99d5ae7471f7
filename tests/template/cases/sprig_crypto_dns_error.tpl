{{ genSelfSignedCert "x" nil (list "a" 2.5) 1 }}
