{{ deepCopy .Values.nullval }}
