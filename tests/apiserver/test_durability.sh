# durability: kill -9 in the middle of a burst of writes; every write the
# server acknowledged is there after a restart.
start_server
TOKEN=$(cat "$T/data/token")
url="https://127.0.0.1:$PORT/api/v1/namespaces/default/configmaps"
: > acked
(
  for i in $(seq 1 400); do
    code=$(curl -sk -o /dev/null -w '%{http_code}' -X POST -H "Authorization: Bearer $TOKEN" \
      -H 'Content-Type: application/json' \
      -d "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"b$i\"},\"data\":{\"i\":\"$i\"}}" \
      "$url" 2>/dev/null) || true
    [ "$code" = 201 ] && echo "b$i" >> acked
  done
) &
writer=$!
sleep 1.5
kill -KILL "$SERVER_PID"
wait "$SERVER_PID" 2>/dev/null || true
SERVER_PID=""
wait $writer || true
n=$(wc -l < acked)
[ "$n" -gt 0 ] || fail "no write was acknowledged before the kill"
start_server
k get cm -o jsonpath='{range .items[*]}{.metadata.name}{"\n"}{end}' | sort > present
missing=$(sort acked | comm -23 - present)
[ -z "$missing" ] || fail "acknowledged writes lost: $missing"
echo "$n acknowledged writes survived"
stop_server
