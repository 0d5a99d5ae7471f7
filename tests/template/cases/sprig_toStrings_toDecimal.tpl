{{ toStrings .Values.mixed }} {{ toStrings 5 }} {{ toDecimal "777" }} {{ toDecimal 8 }} {{ toDecimal "abc" }} {{ printf "%T" (toStrings .Values.list) }}
