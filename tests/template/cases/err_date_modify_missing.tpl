{{ dateModify "1h" .Values.missing }}
