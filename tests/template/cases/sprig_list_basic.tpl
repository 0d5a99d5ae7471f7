{{ list 1 "a" 2.5 nil true }} {{ list }} {{ printf "%T" (list) }} {{ len (list 1 2) }} {{ tuple 1 2 }}
