{{ dict 1 2 | toJson }}{{ (dict 1 2).x }}
