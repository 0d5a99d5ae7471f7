# namespaces: create namespace, objects in missing namespaces, deleting a
# namespace deletes its contents (waiting for their finalizers).
start_server
expect_eq "$(k create namespace team)" "namespace/team created"
expect_eq "$(k get ns team -o jsonpath='{.status.phase}')" "Active"
expect_fail k create namespace team
expect_eq "$OUT" 'Error from server (AlreadyExists): namespaces "team" already exists'

k -n team apply -f - >/dev/null <<'YAML'
apiVersion: v1
kind: ConfigMap
metadata: {name: one}
---
apiVersion: v1
kind: Secret
metadata: {name: two}
stringData: {k: v}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: held, finalizers: [example.com/hold]}
YAML
expect_eq "$(k -n team get secret two -o jsonpath='{.type} {.data.k}')" "Opaque dg=="
expect_eq "$(k delete ns team --wait=false)" 'namespace "team" deleted'
expect_eq "$(k get ns team -o jsonpath='{.status.phase}')" "Terminating"
expect_eq "$(k -n team get cm,secret -o name | tr '\n' ' ')" "configmap/held " "contents deleted"
expect_fail k -n team create configmap new
expect_contains "$OUT" 'unable to create new content in namespace team because it is being terminated'
k -n team patch cm held --type=merge -p '{"metadata":{"finalizers":null}}' >/dev/null
k wait --for=delete ns/team --timeout=10s >/dev/null
expect_fail k get ns team
expect_eq "$OUT" 'Error from server (NotFound): namespaces "team" not found'

# objects in a namespace that does not exist
expect_fail k -n nowhere apply -f - <<'YAML'
apiVersion: v1
kind: ConfigMap
metadata: {name: x}
YAML
expect_contains "$OUT" 'namespaces "nowhere" not found'
stop_server
