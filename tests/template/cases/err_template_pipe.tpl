{{ template "x" .Values | toJson }}
