# list: pagination with limit/continue, list metadata, cluster-wide lists.
start_server
for i in 1 2 3 4 5; do
  raw POST /api/v1/namespaces/default/configmaps -H 'Content-Type: application/json' \
    -d "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"p$i\"}}" -o /dev/null
done
page=$(raw GET '/api/v1/namespaces/default/configmaps?limit=2')
expect_eq "$(jq -r '.kind + " " + .apiVersion' <<<"$page")" "ConfigMapList v1"
expect_eq "$(jq -r '[.items[].metadata.name]|join(",")' <<<"$page")" "p1,p2"
tok=$(jq -r .metadata.continue <<<"$page")
[ -n "$tok" ] && [ "$tok" != null ] || fail "no continue token"
page=$(raw GET "/api/v1/namespaces/default/configmaps?limit=2&continue=$tok")
expect_eq "$(jq -r '[.items[].metadata.name]|join(",")' <<<"$page")" "p3,p4"
tok=$(jq -r .metadata.continue <<<"$page")
page=$(raw GET "/api/v1/namespaces/default/configmaps?limit=2&continue=$tok")
expect_eq "$(jq -r '([.items[].metadata.name]|join(",")) + " " + (.metadata.continue // "end")' <<<"$page")" "p5 end"
# kubectl pages through with --chunk-size
expect_eq "$(k get cm --chunk-size=2 -o name | wc -l)" "5"
out=$(raw GET '/api/v1/namespaces/default/configmaps?continue=%%%')
expect_eq "$(jq -r .reason <<<"$out")" "BadRequest"
# list resourceVersion is the newest revision
rv=$(jq -r .metadata.resourceVersion <<<"$page")
last=$(k get cm p5 -o jsonpath='{.metadata.resourceVersion}')
expect_eq "$rv" "$last" "list resourceVersion"
expect_eq "$(k get ns -o name | wc -l)" "4"
stop_server
