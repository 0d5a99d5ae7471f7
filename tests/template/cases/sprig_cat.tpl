{{ cat "a" 1 .Values.nope .Values.half "b" }}|{{ cat }}|{{ cat .Values.list }}
