{{ genSelfSignedCertWithKey "x" nil nil 1 .Values.weird }}
