{{ $i := 0 }}{{ $v := 0 }}{{ range $i, $v = .Values.list }}{{ end }}{{ $i }} {{ $v }}
