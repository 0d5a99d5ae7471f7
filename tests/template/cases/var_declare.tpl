{{ $x := .Values.name }}{{ $x }}
