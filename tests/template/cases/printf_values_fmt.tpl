{{ printf .Values.fmt 3 }}
