{{ hasKey .Values.missing "a" }}
