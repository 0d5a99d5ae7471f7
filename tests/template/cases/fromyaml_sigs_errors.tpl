errors:
{{ fromYaml "a: b: c" | toJson }}
{{ fromYaml "a: 'x" | toJson }}
{{ fromYaml "a:\n  - b\n c: d" | toJson }}
{{ fromYaml "a: [1, 2\nb: 3" | toJson }}
{{ fromYaml "\ta: 1" | toJson }}
{{ fromYaml "x: 1\ny: 2\n  z: 3" | toJson }}
{{ fromYaml "a: \"\\/\"" | toJson }}
{{ fromYaml "a: *nope" | toJson }}
{{ fromYaml "- 1\n- yes" | toJson }}
{{ fromYaml "plain" | toJson }}
