{{ $d := dict "a" 1 }}{{ get $d "a" }} [{{ get $d "zz" }}] {{ $_ := set $d "b" 2 }}{{ $d }} {{ $_ := unset $d "a" }}{{ $d }} {{ hasKey $d "b" }} {{ hasKey $d "a" }} {{ set $d "c" 3 | len }}
