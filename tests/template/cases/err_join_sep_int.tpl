{{ join 1 (list "a" "b") }}
