{{ $x := .Values.map }}{{ $x.zz.yy }}
