{{- /* go-yaml v2 names the tag a scalar resolves to when it is no value of
  its explicit tag, without a line */ -}}
a: {{ fromYaml "a: !!int 2001-01-01" }}
b: {{ fromYaml "a: !!bool 1" }}
c: {{ fromYaml "a: !!null x" }}
d: {{ fromYaml "a: !!int null" }}
e: {{ fromYaml "a: !!float true" }}
f: {{ fromYaml "a: !!timestamp x" }}
g: {{ fromYaml "a: !!int \"x\"" }}
h: {{ fromYaml "a: !!int \"5\"" }}
i: {{ fromYaml "a: !!int 0x1p3" }}
j: {{ fromYaml "a: !!int 1e400" }}
k: {{ fromYaml "a: !!float 1e400" }}
l: {{ fromYaml "a: !!int |\n  x\n  y\n" }}
m: {{ fromYaml "x: 1\na: !!bool 1.5" }}
n: {{ fromYamlArray "- !!int x" }}
