{{ fromYaml "a: 1\na: 2\nb: &x {k: v, j: w}\nc:\n  <<: *x\n  k: own\n\"<<\": q\nd: *x" | toJson }}
{{ fromYaml "a: 1\n---\nb: 2\n---\n: : :" | toJson }}
{{ fromYaml "" | toJson }} {{ fromYaml "# only a comment" | toJson }} {{ fromYaml "~" | toJson }}
