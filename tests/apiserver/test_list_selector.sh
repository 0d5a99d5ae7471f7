# list by label selector: rows the selector cannot match are skipped before they
# are parsed (the value must appear in the stored JSON); the answers must be
# those of a full match: a value held by another label, or by the name, or in
# data, is not a match; sets, inequality and existence still match exactly.
start_server
mk() { # mk NAME LABELS-JSON [DATA-JSON]
  raw POST /api/v1/namespaces/default/configmaps -H 'Content-Type: application/json' \
    -d "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"$1\",\"labels\":$2},\"data\":${3:-{\}}}" -o /dev/null
}
mk own1 '{"owner":"k1","team":"a"}'
mk own2 '{"owner":"k1","team":"b"}'
mk other '{"owner":"k10","team":"k1"}'
mk k1 '{"owner":"k2"}' '{"owner":"k1"}'
mk bare '{}'
names() { raw GET "/api/v1/namespaces/default/configmaps?labelSelector=$1" | jq -r '[.items[].metadata.name]|join(",")'; }
expect_eq "$(names owner%3Dk1)" "own1,own2" "owner=k1"
expect_eq "$(names owner%3D%3Dk1)" "own1,own2" "owner==k1"
expect_eq "$(names "owner%20in%20(k1)")" "own1,own2" "owner in (k1)"
expect_eq "$(names "owner%20in%20(k1,k2)")" "k1,own1,own2" "owner in (k1,k2)"
expect_eq "$(names owner%3Dk1,team%3Db)" "own2" "owner=k1,team=b"
expect_eq "$(names owner%3Dnone)" "" "owner=none"
expect_eq "$(names owner!%3Dk1)" "bare,k1,other" "owner!=k1"
expect_eq "$(names team)" "other,own1,own2" "team exists"
expect_eq "$(k get cm -l owner=k1 -o name | tr '\n' ' ')" "configmap/own1 configmap/own2 " "kubectl -l"
# pages of a selected list
page=$(raw GET '/api/v1/namespaces/default/configmaps?labelSelector=owner%3Dk1&limit=1')
expect_eq "$(jq -r '[.items[].metadata.name]|join(",")' <<<"$page")" "own1"
tok=$(jq -r .metadata.continue <<<"$page")
page=$(raw GET "/api/v1/namespaces/default/configmaps?labelSelector=owner%3Dk1&limit=1&continue=$tok")
expect_eq "$(jq -r '([.items[].metadata.name]|join(",")) + " " + (.metadata.continue // "end")' <<<"$page")" "own2 end"
stop_server
