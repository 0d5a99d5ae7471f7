{{- /* Time.Sub gives a time.Duration: an int64 that prints through its
  String method and has Go's methods */ -}}
{{- $l := "2006-01-02T15:04:05.999999999Z07:00" }}
{{- $t := toDate $l "2024-03-01T10:20:30.5Z" }}
{{- range $s := list "2024-03-01T10:20:30.5Z" "2024-03-01T10:20:30.499999999Z" "2024-03-01T10:20:30.4995Z" "2024-03-01T10:20:29Z" "2024-02-29T09:19:29.75Z" "2024-03-01T12:00:00+02:00" "2024-03-01T10:20:31Z" "1900-01-01T00:00:00Z" "2024-03-01T10:20:30.500001Z" }}
{{- $d := $t.Sub (toDate $l $s) }}
{{ $s }}: {{ $d }} {{ $d.Hours }} {{ $d.Minutes }} {{ $d.Seconds }} {{ $d.Milliseconds }} {{ $d.Microseconds }} {{ $d.Nanoseconds }} {{ $d.Round 1000000000 }} {{ $d.Truncate 60000000000 }} {{ $d.Abs }} {{ $d.String | quote }} {{ printf "%v|%d|%s|%q|%T" $d $d $d $d $d }} {{ toJson $d }} {{ typeOf $d }} {{ kindOf $d }}
{{- end }}
{{ $z := $t.Sub $t }}{{ $z }} {{ $z.Round 0 }} {{ $z.Truncate -5 }}
{{- /* cast knows no time.Duration: Sprig's arithmetic reads it as 0 */}}
{{ $d := $t.Sub (toDate $l "2024-03-01T10:20:29Z") }}{{ add $d 1 }} {{ int $d }} {{ int64 $d }} {{ float64 $d }} {{ max $d 2 }} {{ $d | add1 }} {{ $t.Add $d }} {{ eq $d $d }} {{ toString $d }} {{ kindIs "int64" $d }} {{ typeIs "time.Duration" $d }}
