{{ mustToRawJson (list (float64 "-inf")) }}
