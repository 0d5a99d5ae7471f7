{{ ne .Values.name "web" }} {{ ne 1 2 }}
