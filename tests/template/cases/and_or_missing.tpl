[{{ or .Values.nope "default" }}] [{{ and .Values.nope "x" }}]
