{{ b64dec .Values.list }}
