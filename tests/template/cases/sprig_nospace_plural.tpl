{{ nospace .Values.spaces }}|{{ nospace "a b\tc\nd" }}|{{ plural "one" "many" 1 }}|{{ plural "one" "many" 2 }}
