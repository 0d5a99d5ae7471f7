[{{ $x := .Values.nope }}{{ $x }}][{{ $x.y }}]
