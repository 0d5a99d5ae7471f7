{{ eq .Values.nope "x" }} {{ eq .Values.nope nil }}
