{{ eq .Values.list nil }}
