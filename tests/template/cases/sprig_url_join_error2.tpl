{{ urlJoin (dict "scheme" "http" "host" "h" "userinfo" "a b") }}
