{{- $y := `
base: &b
  x: 1
  y: [a, b]
derived:
  <<: *b
  y: override
  z: !!str 123
folded: >
  one
  two

  three
literal: |2
    indented
  less
keep: |+
  k

strip: |-
  s
flow: {a: 1, b: [1, 2, {c: d}], "q": 'it''s'}
nums: [0o17, 0x1F, 1_000, .5, -.inf, .NaN, 1e3, 0b101, 017, +5]
bools: [yes, No, ON, off, y, n, true, False]
nulls: [~, null, Null, ]
dates: [2024-01-02, 2024-01-02T10:00:00Z]
multi: "line1
  line2"
key with spaces: v
? complex
: value
empty:
"quoted: key": 1
---
second: doc
` }}
{{- $d := fromYaml $y }}
{{ toJson $d }}
{{ toYaml $d }}
{{ fromYamlArray "- a\n- {b: 1}\n- [c]\n- 1.0\n---\n- x" | toJson }}
