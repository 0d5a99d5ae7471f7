héllo wörld {{ .Values.nope.x }}
