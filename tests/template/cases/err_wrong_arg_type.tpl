{{ add1 (list 1) | int | repeat "x" }}
