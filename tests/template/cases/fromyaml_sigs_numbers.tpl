{{ fromYaml "a: 0777\nb: 0o17\nc: 0x1F\nd: 1_000\ne: 1e3\nf: 1.5\ng: -0b101\nh: 08\ni: 9223372036854775808\nj: 1:20\nk: +12\nl: .5\nm: 0.1e-10\nn: 012345678" | toJson }}
{{ $m := fromYaml "mode: 0644\nbig: 12345678901234567890" }}{{ $m.mode }} {{ typeOf $m.mode }} {{ $m.big }} {{ printf "%o" (int $m.mode) }}
