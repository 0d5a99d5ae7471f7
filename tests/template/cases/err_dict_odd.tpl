{{ dict "a" 1 "b" | toJson }}
