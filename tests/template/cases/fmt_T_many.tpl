{{ printf "%T %T %T %T %T %T %T" 1 1.5 "s" true nil .Values.list .Values.map }}
{{ printf "%T %T %T" .Values.replicas .Values.nullval (list 1 2) }}
{{ printf "%T %T %T" (dict) (int64 3) (toString 4) }}
{{ printf "%T %T" (splitList "," "a,b") (split "," "a,b") }}
{{ printf "%T %T %T" (semver "1.2.3") (now) (b64enc "x") }}
