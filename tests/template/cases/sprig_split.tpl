{{ splitList "," "a,b,,c" }} {{ split "/" "x/y/z" }} {{ (split "/" "x/y/z")._1 }} {{ splitList "" "abc" }} {{ splitList "," "" }} {{ len (splitList "," "a,b") }}
