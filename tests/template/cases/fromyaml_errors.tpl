start
{{ fromYaml "a: [" | toJson }}
{{ fromYaml "- a\n- b" | toJson }}
{{ fromYaml "just a string" | toJson }}
{{ fromYaml "" | toJson }}
{{ fromYaml "a: 1\na: 2" | toJson }}
{{ fromYamlArray "a: 1" | toJson }}
{{ fromYamlArray "[" | toJson }}
{{ fromYamlArray "" | toJson }}
{{ fromJson "{" | toJson }}
{{ fromJson "[1]" | toJson }}
{{ fromJsonArray "{}" | toJson }}
{{ fromJsonArray "[1,{\"a\":null}]" | toJson }}
{{ (fromYaml "a: [").Error }}
