{{ "x" | indent (int64 2) }}
