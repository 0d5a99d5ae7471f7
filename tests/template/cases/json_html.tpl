{{ toJson .Values.quote }}|{{ toRawJson .Values.quote }}|{{ toPrettyJson .Values.quote }}
{{ toJson (dict "k" "<a href='x'>&amp;</a>" "u" "\u2028\u2029") }}
{{ toRawJson (dict "k" "<a href='x'>&amp;</a>" "u" "\u2028\u2029") }}
{{ toJson "\x01\x1f\x7f" }} {{ toRawJson "é☃\t" }}
{{ toJson nil }} {{ toJson .Values.missing }} {{ toJson 3 }} {{ toJson 1e21 }} {{ toJson 1e20 }} {{ toJson 1e-7 }} {{ toJson 0.000001 }}
{{ toPrettyJson (dict) }} {{ toPrettyJson (list) }} {{ toPrettyJson (dict "a" (dict) "b" (list)) }}
