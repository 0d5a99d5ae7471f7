{{ dateModify "1h" .Values.str }}
