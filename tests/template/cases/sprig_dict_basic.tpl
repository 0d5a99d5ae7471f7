{{ dict "a" 1 "b" "two" }} {{ dict }} {{ dict "k" }} {{ dict 1 2 }} {{ $d := dict "x" .Values.list }}{{ $d.x }} {{ (dict "n" nil).n }}
