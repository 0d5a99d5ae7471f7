# restart: objects, resourceVersions and CRDs survive; revisions keep growing.
start_server
k apply -f - >/dev/null <<'YAML'
apiVersion: v1
kind: ConfigMap
metadata: {name: keep}
data: {a: "1"}
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: things.example.com}
spec:
  group: example.com
  scope: Namespaced
  names: {plural: things, kind: Thing}
  versions:
  - {name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}}
YAML
k apply -f - >/dev/null <<'YAML'
apiVersion: example.com/v1
kind: Thing
metadata: {name: t1}
YAML
k apply -f - >/dev/null <<'YAML'
apiVersion: v1
kind: ConfigMap
metadata: {name: gone}
YAML
k delete cm gone >/dev/null
rv_before=$(raw GET /api/v1/configmaps | jq -r .metadata.resourceVersion)
uid=$(k get cm keep -o jsonpath='{.metadata.uid}')
uid_rv=$(k get cm keep -o jsonpath='{.metadata.resourceVersion}')
stop_server
start_server
expect_eq "$(k get cm keep -o jsonpath='{.data.a} {.metadata.uid}')" "1 $uid"
expect_eq "$(k get things -o name)" "thing.example.com/t1" "CRD served after restart"
expect_eq "$(raw GET /api/v1/configmaps | jq -r .metadata.resourceVersion)" "$rv_before" "list revision"
k label cm keep b=2 >/dev/null
rv_after=$(k get cm keep -o jsonpath='{.metadata.resourceVersion}')
[ "$rv_after" -gt "$rv_before" ] || fail "revision went back: $rv_after <= $rv_before"

# watches resume across a restart: the event log refills the rings
stop_server
start_server
out=$(raw GET "/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=$uid_rv&timeoutSeconds=1")
expect_eq "$(jq -r '.type + " " + .object.metadata.name' <<<"$out" | tr '\n' ',')" \
  "ADDED gone,DELETED gone,MODIFIED keep," "resume after restart"
stop_server
