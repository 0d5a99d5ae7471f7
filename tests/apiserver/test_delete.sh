# delete: finalizers hold an object with deletionTimestamp until released.
start_server
k apply -f - >/dev/null <<'YAML'
apiVersion: v1
kind: ConfigMap
metadata:
  name: held
  finalizers: [example.com/hold]
YAML
expect_eq "$(k delete cm held --wait=false)" 'configmap "held" deleted'
expect_eq "$(k get cm held -o jsonpath='{.metadata.finalizers[0]}')" "example.com/hold" "still there"
[ -n "$(k get cm held -o jsonpath='{.metadata.deletionTimestamp}')" ] || fail "deletionTimestamp not set"
# deleting again changes nothing
k delete cm held --wait=false >/dev/null
# a waiting delete finishes when the finalizer goes
k delete cm held --timeout=20s > delete.out 2>&1 &
waiter=$!
sleep 1
kill -0 $waiter 2>/dev/null || fail "kubectl delete did not wait for the finalizer"
k patch cm held --type=json -p '[{"op":"remove","path":"/metadata/finalizers"}]' >/dev/null
wait $waiter || fail "waiting delete failed: $(cat delete.out)"
expect_eq "$(cat delete.out)" 'configmap "held" deleted'
expect_fail k get cm held
expect_eq "$OUT" 'Error from server (NotFound): configmaps "held" not found'

# plain delete, and wait --for=delete
k apply -f - >/dev/null <<'YAML'
apiVersion: v1
kind: ConfigMap
metadata: {name: plain}
YAML
expect_eq "$(k delete cm plain)" 'configmap "plain" deleted'
expect_fail k delete cm plain
expect_eq "$OUT" 'Error from server (NotFound): configmaps "plain" not found'

# preconditions
k apply -f - >/dev/null <<'YAML'
apiVersion: v1
kind: ConfigMap
metadata: {name: pre}
YAML
expect_fail raw DELETE /api/v1/namespaces/default/configmaps/pre -H 'Content-Type: application/json' \
  -d '{"kind":"DeleteOptions","apiVersion":"v1","preconditions":{"uid":"nope"}}' -f
expect_eq "$(k get cm pre -o name)" "configmap/pre"

# owner references: dependents go with their owner (background collection)
owner_uid=$(k get cm pre -o jsonpath='{.metadata.uid}')
k apply -f - >/dev/null <<YAML
apiVersion: v1
kind: ConfigMap
metadata:
  name: child
  ownerReferences:
  - {apiVersion: v1, kind: ConfigMap, name: pre, uid: $owner_uid}
YAML
k delete cm pre >/dev/null
expect_fail k get cm child
expect_contains "$OUT" 'configmaps "child" not found'

# cascade: orphan keeps dependents (without the ownerReference), foreground
# keeps the owner until its dependents are gone
mk_pair() { # owner child [child finalizer]
  k apply -f - >/dev/null <<YAML
apiVersion: v1
kind: ConfigMap
metadata: {name: $1}
YAML
  local uid
  uid=$(k get cm "$1" -o jsonpath='{.metadata.uid}')
  k apply -f - >/dev/null <<YAML
apiVersion: v1
kind: ConfigMap
metadata:
  name: $2
  finalizers: [${3:-}]
  ownerReferences:
  - {apiVersion: v1, kind: ConfigMap, name: $1, uid: $uid}
YAML
}
mk_pair o1 c1
k patch cm c1 --type=merge -p '{"metadata":{"finalizers":null}}' >/dev/null
expect_eq "$(k delete cm o1 --cascade=orphan)" 'configmap "o1" deleted'
expect_eq "$(k get cm c1 -o jsonpath='{.metadata.name}:{.metadata.ownerReferences}')" "c1:" "orphaned"
mk_pair o2 c2 example.com/hold
expect_eq "$(k delete cm o2 --cascade=foreground --wait=false)" 'configmap "o2" deleted'
expect_eq "$(k get cm o2 -o jsonpath='{.metadata.finalizers}')" '["foregroundDeletion"]' "owner waits"
[ -n "$(k get cm c2 -o jsonpath='{.metadata.deletionTimestamp}')" ] || fail "dependent not deleted"
k patch cm c2 --type=merge -p '{"metadata":{"finalizers":null}}' >/dev/null
expect_fail k get cm o2
expect_contains "$OUT" 'configmaps "o2" not found'
expect_fail k get cm c2
k delete cm c1 >/dev/null

# deletecollection by label
for n in x1 x2 y1; do
  k apply -f - >/dev/null <<YAML
apiVersion: v1
kind: ConfigMap
metadata: {name: $n, labels: {group: "g${n:0:1}"}}
YAML
done
raw DELETE '/api/v1/namespaces/default/configmaps?labelSelector=group%3Dgx' >/dev/null
expect_eq "$(k get cm -o name | tr '\n' ' ')" "configmap/y1 "
stop_server
