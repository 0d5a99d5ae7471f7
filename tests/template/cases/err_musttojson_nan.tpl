{{ mustToJson (list (float64 "nan")) }}
