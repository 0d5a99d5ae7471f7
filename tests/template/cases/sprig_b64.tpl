{{ b64enc .Values.str }} {{ b64dec "aGVsbG8gd29ybGQ=" }} {{ b64enc "" }} {{ .Values.name | b64enc | b64dec }} {{ b64dec "!!!!" }}
