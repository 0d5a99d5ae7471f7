{{ $x := .Values.name | printf "%s!" }}{{ $x }}
