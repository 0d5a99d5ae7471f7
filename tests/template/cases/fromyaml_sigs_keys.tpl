{{ fromYaml "1: a\n1.5: b\n0.1: c\n1e3: d\n1e7: e\ntrue: f\nyes: g\n0x10: h\n-3: i\n3.14159265358979: j\n.inf: l\n-.inf: m\n1e-7: n" | toJson }}
{{ $m := fromYaml "80: http\n443: https" }}{{ index $m "80" }} {{ keys $m | sortAlpha }}
