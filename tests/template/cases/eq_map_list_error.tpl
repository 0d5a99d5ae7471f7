{{ eq .Values.map .Values.mixed }}
