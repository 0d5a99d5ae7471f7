# watch: kubectl get -w sees later changes; raw watch streams, resume from a
# resourceVersion, 410 Gone below the ring's floor, bookmarks, selectors.
start_server
k apply -f - >/dev/null <<'YAML'
apiVersion: v1
kind: ConfigMap
metadata: {name: first}
YAML
timeout 4 kubectl --kubeconfig "$T/kubeconfig" get cm -w --no-headers -o custom-columns=NAME:.metadata.name > w.out 2>&1 &
watcher=$!
sleep 1.5
k apply -f - >/dev/null <<'YAML'
apiVersion: v1
kind: ConfigMap
metadata: {name: later}
YAML
wait $watcher || true
expect_eq "$(tr '\n' ' ' < w.out)" "first later " "get -w"

rv=$(k get cm first -o jsonpath='{.metadata.resourceVersion}')
k label cm first a=1 >/dev/null
k delete cm later >/dev/null
# resume from first's rv: everything after it
out=$(raw GET "/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=$rv&timeoutSeconds=1")
expect_eq "$(jq -r '.type + " " + .object.metadata.name' <<<"$out" | tr '\n' ',')" \
  "ADDED later,MODIFIED first,DELETED later," "resume"
expect_eq "$(jq -r 'select(.type=="MODIFIED") | .object.kind + " " + .object.apiVersion' <<<"$out")" "ConfigMap v1"

# no resourceVersion: synthetic ADDED for what exists; label selector filters
out=$(raw GET "/api/v1/namespaces/default/configmaps?watch=1&timeoutSeconds=1&labelSelector=a%3D1")
expect_eq "$(jq -r '.type + " " + .object.metadata.name' <<<"$out")" "ADDED first" "initial state"
out=$(raw GET "/api/v1/configmaps?watch=1&timeoutSeconds=1&fieldSelector=metadata.name%3Dnone")
expect_eq "$out" "" "field selector"

# selectors see objects enter and leave: leaving is DELETED, entering ADDED
rv2=$(k get cm first -o jsonpath='{.metadata.resourceVersion}')
k label cm first a=2 --overwrite >/dev/null
k label cm first a=1 --overwrite >/dev/null
out=$(raw GET "/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=$rv2&timeoutSeconds=1&labelSelector=a%3D1")
expect_eq "$(jq -r '.type + " " + .object.metadata.labels.a' <<<"$out" | tr '\n' ',')" "DELETED 1,ADDED 1," "selector transitions"

# watching one object by its path
out=$(raw GET "/api/v1/namespaces/default/configmaps/first?watch=1&timeoutSeconds=1")
expect_eq "$(jq -r '.type + " " + .object.metadata.name' <<<"$out")" "ADDED first" "watch by name"

# bookmarks with allowWatchBookmarks
out=$(raw GET "/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=$rv&timeoutSeconds=7&allowWatchBookmarks=true")
expect_contains "$(jq -r '.type' <<<"$out" | tr '\n' ',')" "BOOKMARK" "bookmark"

# 410 Gone when the ring no longer holds the revision: overflow it
for i in $(seq 1 45); do
  printf '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"f%d"}}\n' "$i"
done > many.json
stop_server
start_server --watch-cache-size 32
srv=$(raw POST /api/v1/namespaces/default/secrets -H 'Content-Type: application/json' \
  -d '{"apiVersion":"v1","kind":"Secret","metadata":{"name":"quiet"}}' | jq -r .metadata.resourceVersion)
for i in $(seq 1 45); do
  raw POST /api/v1/namespaces/default/configmaps -H 'Content-Type: application/json' \
    -d "$(sed -n "${i}p" many.json)" -o /dev/null
done
out=$(raw GET "/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=$rv&timeoutSeconds=1" -w ' HTTP=%{http_code}')
expect_contains "$out" '"type":"ERROR"'
expect_contains "$out" '"code":410'
expect_contains "$out" '"reason":"Expired"'
expect_contains "$out" "too old resource version: $rv"
expect_contains "$out" "HTTP=200"
# each resource has its own ring: the busy ConfigMaps did not push the Secret out
raw DELETE /api/v1/namespaces/default/secrets/quiet -o /dev/null
out=$(raw GET "/api/v1/namespaces/default/secrets?watch=1&resourceVersion=$((srv - 1))&timeoutSeconds=1")
expect_eq "$(jq -r '.type + " " + .object.metadata.name' <<<"$out" | tr '\n' ',')" "ADDED quiet,DELETED quiet," "own ring"

# the server stops cleanly with a watch open
raw GET "/api/v1/configmaps?watch=1" > open-watch.out &
curl_pid=$!
sleep 0.5
stop_server
wait $curl_pid || true
expect_contains "$(head -1 open-watch.out)" '"type":"ADDED"' 
