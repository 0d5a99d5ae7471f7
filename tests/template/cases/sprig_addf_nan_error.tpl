{{ addf 1 "NaN" }}
