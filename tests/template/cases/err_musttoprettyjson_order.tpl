{{ mustToPrettyJson (dict "b" (float64 "-inf") "a" (list 1 (float64 "nan"))) }}
