{{ fromYaml "a: 2001-12-14\nb: 2001-12-14t21:59:43.10-05:00\nc: 2001-12-14 21:59:43.10\nd: ~\ne: null\nf:\ng: \"\"\nh: Null\ni: [~, null, ]" | toJson }}
{{ $m := fromYaml "date: 2024-01-02" }}{{ typeOf $m.date }} {{ $m.date }}
