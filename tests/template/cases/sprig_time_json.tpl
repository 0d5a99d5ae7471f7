{{ $t := toDate "2006-01-02 15:04:05.000" "2024-02-29 13:14:15.123" }}{{ $t | toJson }}|{{ dict "t" $t | toJson }}|{{ toYaml (list $t) }}
