{{ eq .Values.map .Values.map }}
