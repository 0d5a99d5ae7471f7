{{ fromJson "null" | toJson }} {{ fromJson "null" }} {{ fromJsonArray "null" | toJson }} {{ fromYamlArray "null" | toJson }} {{ fromYaml "null" | toJson }} {{ fromYaml "~" | toJson }}
{{ fromJson "{\"a\":10000000000000000000,\"b\":18446744073709551616,\"c\":-9223372036854775809}" | toJson }}
{{ fromJson "3" | toJson }} {{ fromJson "\"s\"" | toJson }} {{ fromJson "true" | toJson }} {{ fromJson "{} x" | toJson }} {{ fromJson "" | toJson }} {{ fromJson "{'a':1}" | toJson }}
{{ fromJsonArray "[1" | toJson }} {{ fromJsonArray "" | toJson }}
{{ mustFromJson "10000000000000000000" }} {{ fromJson "{\"a\":1.0}" | toYaml }}
{{ fromJson "{\"a\":100000000000000000000,\"b\":[-12345678901234567890123,1.5e3,\"x\\\"1234567890123456789012\"]}" | toJson }}
{{ mustFromJson "100000000000000000000" }} {{ mustFromJson "-9223372036854775808" }} {{ mustFromJson "9223372036854775807" }} {{ fromJsonArray "[18446744073709551615]" }}
