{{ $x := .Values.missing }}{{ $x.a }}
