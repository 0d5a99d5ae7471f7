{{ printf "%v|%+v" .Values.map .Values.map }}
{{ printf "%v|%+v" .Values.mixed .Values.mixed }}
{{ printf "%#v" .Values.list }}
{{ printf "%#v" "str" }}
{{ printf "%#v" 3 }}
{{ printf "%#v" 3.5 }}
{{ printf "%#v" .Values.replicas }}
{{ printf "%#v" nil }}
{{ printf "%#v" true }}
{{ printf "%#v" .Values.map }}
{{ printf "%#v" .Values.emptymap }}
{{ printf "%#v" .Values.emptylist }}
