{{ deepCopy .Values.missing }}
