{{ add 1 2.5 }}|{{ add "3" 4 }}|{{ add 1.9 1.9 }}|{{ sub 5 2.5 }}|{{ mul 2 2.5 }}|{{ div 7 2 }}|{{ div 7.5 2 }}|{{ div -7 2 }}|{{ mod 7 3 }}|{{ mod -7 3 }}|{{ mod 7.5 2 }}
{{ max 1 5 3 }}|{{ max 1.5 2 }}|{{ min 3 1.5 }}|{{ max "10" 9 }}|{{ min -1 }}|{{ add1 1.5 }}|{{ add1 "x" }}|{{ add nil 1 }}
{{ addf 1 2.5 }}|{{ addf "1.5" 2 }}|{{ subf 5 2.5 }}|{{ mulf 1.1 3 }}|{{ divf 1 3 }}|{{ divf 10 4 }}|{{ maxf 1 2.5 }}|{{ minf 1 -2.5 }}|{{ add1f 1.5 }}
{{ round 2.5 0 }}|{{ round -2.5 0 }}|{{ round 1.2345 2 }}|{{ round 1.235 2 }}|{{ round 1.5 0 0.4 }}|{{ ceil 1.1 }}|{{ floor -1.1 }}|{{ ceil "2.1" }}|{{ floor 3 }}
{{ add .Values.replicas 1 }}|{{ mul .Values.half 2 }}|{{ div .Values.big 3 }}|{{ sub .Values.zero 1 }}|{{ max .Values.half .Values.replicas }}
{{ biggest 1 2 }}|{{ add 9223372036854775807 1 }}|{{ mul 3037000500 3037000500 }}|{{ sub -9223372036854775807 2 }}
