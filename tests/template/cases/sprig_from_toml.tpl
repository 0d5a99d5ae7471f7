{{ $m := fromToml .Values.doc }}{{ $m }}
{{ $m.int }} {{ typeOf $m.flt }} {{ $m.products | len }} {{ (index $m.products 2).sub.x }} {{ $m.ml | quote }} {{ $m.mll | quote }} {{ $m.lit }}
{{ fromToml "" }}|{{ fromToml "a = 1\nb = [\"x\"]" | toJson }}
