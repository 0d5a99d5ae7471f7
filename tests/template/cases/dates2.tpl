{{ $t := toDate "2006-01-02T15:04:05Z07:00" "2024-12-31T23:59:59.123456789+05:30" }}{{ $t }}|{{ $t.UTC }}|{{ $t.Unix }}|{{ $t.Format "Jan _2 15:04:05.000000" }}|{{ $t.Weekday }}|{{ $t.YearDay }}|{{ $t.Month }}|{{ $t.Nanosecond }}
{{ date "2006-01-02T15:04:05.999999999Z07:00" $t }}|{{ dateInZone "2006-01-02 15:04:05 MST" $t "America/New_York" }}|{{ dateInZone "2006-01-02 15:04 MST" $t "Europe/London" }}|{{ dateInZone "15:04 MST" $t "Bad/Zone" }}
{{ toDate "2006-01-02" "2024-13-01" }}|{{ toDate "01/02/2006" "12/31/2024" }}|{{ toDate "2006-01-02 15:04" "2024-01-01 10:30" | date "Mon Jan 2 3:04PM" }}|{{ unixEpoch (toDate "2006" "1969") }}
{{ date "2006-01-02" 86400 }}|{{ date "2006-01-02" (int64 86400) }}|{{ dateModify "-1.5h" $t | date "15:04" }}|{{ dateModify "bad" $t | date "15:04" }}
{{ duration 90061 }}|{{ duration -5 }}|{{ duration 3.7 }}|{{ duration "1e3" }}|{{ durationRound "1h30m" }}|{{ durationRound 86400 }}|{{ durationRound 31536000 }}|{{ durationRound "750ms" }}|{{ durationRound 2592000 }}|{{ durationRound (toDate "2006" "2020") }}
{{ toJson $t }}|{{ toYaml $t }}|{{ printf "%v" $t }}|{{ $t.Add 3600000000000 | date "15:04" }}|{{ ($t.AddDate 0 1 1).Format "2006-01-02" }}
