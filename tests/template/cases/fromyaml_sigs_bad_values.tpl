errors:
{{ fromYaml "~: x" | toJson }}
{{ fromYaml "18446744073709551615: x" | toJson }}
{{ fromYaml "a: .inf" | toJson }}
{{ fromYaml "a: -.Inf" | toJson }}
{{ fromYaml "a: .nan" | toJson }}
{{ fromYaml "null: 1.5" | toJson }}
{{ fromYaml "a: 1\n~: \"q\\\"\"" | toJson }}
