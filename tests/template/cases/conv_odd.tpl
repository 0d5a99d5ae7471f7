{{ int "1.5" }}|{{ int "abc" }}|{{ int nil }}|{{ int true }}|{{ int 1.9 }}|{{ int -1.9 }}|{{ int "0x1F" }}|{{ int "010" }}|{{ int " 5" }}|{{ int "5 " }}|{{ int "+5" }}|{{ int "1e3" }}
{{ int64 "1.5" }}|{{ int64 "9223372036854775807" }}|{{ int64 "99999999999999999999" }}|{{ int64 1e19 }}|{{ int64 .Values.big }}|{{ int64 "-0" }}
{{ float64 "1.5" }}|{{ float64 "abc" }}|{{ float64 nil }}|{{ float64 true }}|{{ float64 3 }}|{{ float64 "1e3" }}|{{ float64 "inf" }}|{{ float64 "0x10" }}|{{ float64 "1_000" }}
{{ toString nil }}|{{ toString 3 }}|{{ toString 3.0 }}|{{ toString 1e6 }}|{{ toString true }}|{{ toString (list 1 2) }}|{{ toString (dict "a" 1) }}|{{ toString .Values.big }}
{{ atoi "12" }}|{{ atoi "1.5" }}|{{ atoi "abc" }}|{{ atoi " 3" }}|{{ atoi "-7" }}|{{ atoi "+7" }}
{{ toDecimal "0777" }}|{{ toDecimal "777" }}|{{ toDecimal "abc" }}|{{ toDecimal 8 }}
{{ typeOf (int "3") }}|{{ typeOf (int64 3) }}|{{ typeOf (float64 3) }}|{{ typeOf (atoi "3") }}|{{ kindOf 3 }}|{{ kindOf 3.0 }}|{{ kindOf .Values.replicas }}|{{ kindOf nil }}
