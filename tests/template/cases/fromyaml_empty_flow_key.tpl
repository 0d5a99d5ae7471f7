{{- /* go-yaml v2 loses the simple key an empty flow collection could start, so
"{}" or "[]" where a block key is required fails in the parser ("did not find
expected key", 0-based line) instead of libyaml's "could not find expected ':'" */ -}}
{{ define "probe" }}{{ . | fromYaml | toJson }}{{ end -}}
a: {{ include "probe" "k:\n  b: c\n  {}\n" }}
b: {{ include "probe" "k:\n  - b: c\n    {}\nz: 1\n" }}
c: {{ include "probe" "k:\n  - a\n  {}\n" }}
d: {{ include "probe" "k:\n- a\n[]\n" }}
e: {{ include "probe" "x:\n  y:\n    b: c\n{ }\n" }}
f: {{ include "probe" "x: 1\n{\n}\n" }}
g: {{ include "probe" "x: 1\n[  ]  # c\n" }}
h: {{ include "probe" "é: ü\nk:\n  b: é\n  {}\n" }}
i: {{ include "probe" "x: 1\ny: {}\nz: []\n- {}\n" }}
j: {{ include "probe" "x: 1\nk:\n  b: c\n  {a: 1}\n" }}
k: {{ include "probe" "x: 1\nk:\n  b: c\n  [a]\n" }}
l: {{ include "probe" "a:\n  k:\n  []\n" }}
m: {{ include "probe" "a:\n  k:\n  {}\nb: 1\n" }}
n: {{ include "probe" "a:\n  k:\n  {}\n  c: 1\n" }}
