{{ buildCustomCert "!!!" "x" }}
