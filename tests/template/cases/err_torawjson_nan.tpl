{{ toRawJson (dict "x" (float64 "nan")) }}
