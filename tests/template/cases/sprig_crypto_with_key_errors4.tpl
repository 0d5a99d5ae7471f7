{{ genSelfSignedCertWithKey "x" (list "1.2.3.400") nil 1 .Values.ec }}
