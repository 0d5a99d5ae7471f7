{{ fromYaml "a: !!int 12\nb: !!float 3\nc: !!bool yes\nd: !!str 12\ne: !!null ''\nf: !!binary aGVsbG8=" | toJson }}
