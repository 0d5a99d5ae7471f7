{{ html .Values.quote }} {{ html "<a>" 1 }}
