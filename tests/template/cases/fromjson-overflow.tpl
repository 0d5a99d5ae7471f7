{{- /* Go's json decoder stores nil for a number beyond float64, goes on and
  fails with the first one: fromJson keeps the map and adds the Error,
  fromJsonArray gives only the error */ -}}
json: {{ fromJson "{\"a\":1,\"b\":1e400,\"c\":2}" | toJson }}
{{ fromJson "{\"x\":{\"a\":[1,-1e400,3],\"z\":1},\"y\":2, \"q\": \"1e999\", \"Error\": 5, \"w\": 2e400}" }}
{{ fromJson "[1,1e400]" }}
{{ fromJson "1e400" }}
{{ fromJsonArray "[1,1e400,2]" }}
{{ fromJsonArray "[1,\"x\\\"1e999\", 1e-400, 1.5]" }}
{{ fromJsonArray "[{\"a\":1e400,\"b\":1}]" }}
{{ fromJsonArray "{\"a\":1e400}" }}
