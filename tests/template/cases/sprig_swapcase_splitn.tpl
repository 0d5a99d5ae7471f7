{{ swapcase "Hello World ÀÉ" }} {{ splitn "/" 2 "a/b/c" }} {{ splitn "/" -1 "a/b/c" }} {{ splitn "/" 0 "a/b" }} {{ splitn "/" 5 "a/b" }} {{ (splitn ":" 2 "k:v:w")._1 }}
