{{ .Values.héllo }} {{ $ñ := 1 }}{{ $ñ }}
