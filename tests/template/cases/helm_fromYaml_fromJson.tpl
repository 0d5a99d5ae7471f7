{{ $m := fromYaml "a: 1\nb: [x, z]\nc: {d: true}" }}{{ $m }} {{ $m.a }} {{ typeOf $m.a }} {{ (fromJson "{\"k\": [1, 2.5]}").k }} {{ fromJson "[1]" }}
