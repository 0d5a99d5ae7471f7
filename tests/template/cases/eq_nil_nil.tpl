{{ eq nil nil }} {{ eq .Values.nullval nil }} {{ ne .Values.nope nil }}
