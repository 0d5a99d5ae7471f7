{{ fromYamlArray "- 1\n- yes\n- 0777\n- {1: 2}\n- on: off" | toJson }}
{{ fromYamlArray "a: 1" | toJson }}
{{ fromYamlArray "- [1" | toJson }}
{{ fromYamlArray "" | toJson }}
