{{ eq .Values.half 3.5 }} {{ eq .Values.zero 0.0 }} {{ eq .Values.neg -2.0 }}
