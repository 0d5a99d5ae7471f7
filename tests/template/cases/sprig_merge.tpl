{{ $d := dict "a" 1 "b" (dict "x" 1) "e" "" "f" false "l" (list 1) }}{{ $s := dict "a" 2 "b" (dict "x" 2 "y" 2) "c" 3 "e" "filled" "f" true "l" (list 9 9) "n" nil }}{{ merge $d $s }} {{ $d }}
