{{ print .Values.map .Values.list .Values.enabled }}
