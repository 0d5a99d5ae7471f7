{{ $x := 1 }}{{ $x = "s" }}{{ $x = .Values.list }}{{ $x }}
