{{ eq .Values.list .Values.list }}
