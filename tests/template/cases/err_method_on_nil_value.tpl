{{ .Values.nullval.Method 1 }}
