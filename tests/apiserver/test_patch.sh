# kubectl patch: merge, JSON and strategic merge patches; conflicts on update.
start_server
k apply -f - >/dev/null <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - {name: app, image: "nginx:1", env: [{name: A, value: "1"}, {name: B, value: "2"}]}
      - {name: side, image: "busybox:1"}
YAML
# strategic (the default for built-ins): containers merge by name
expect_eq "$(k patch deploy web -p '{"spec":{"template":{"spec":{"containers":[{"name":"app","image":"nginx:2"}]}}}}')" \
  "deployment.apps/web patched"
expect_eq "$(k get deploy web -o jsonpath='{.spec.template.spec.containers[*].name}={.spec.template.spec.containers[*].image}')" \
  "app side=nginx:2 busybox:1" "strategic merge keeps the other container"
# env merges by name; $patch: delete removes one element
k patch deploy web --type=strategic -p '{"spec":{"template":{"spec":{"containers":[{"name":"app","env":[{"name":"B","$patch":"delete"},{"name":"C","value":"3"}]}]}}}}' >/dev/null
expect_eq "$(k get deploy web -o jsonpath='{.spec.template.spec.containers[0].env[*].name}')" "A C" "env merge"
expect_eq "$(k get deploy web -o jsonpath='{.metadata.generation}')" "3" "generation bumped per spec change"

# merge patch: lists replace
expect_eq "$(k patch deploy web --type=merge -p '{"spec":{"replicas":3}}')" "deployment.apps/web patched"
expect_eq "$(k get deploy web -o jsonpath='{.spec.replicas}')" "3"
# no-op patch
expect_eq "$(k patch deploy web --type=merge -p '{"spec":{"replicas":3}}')" "deployment.apps/web patched (no change)"

# JSON patch: add, replace, remove, test
k patch deploy web --type=json -p '[{"op":"add","path":"/metadata/labels","value":{"x":"1"}},{"op":"replace","path":"/spec/replicas","value":5},{"op":"test","path":"/spec/replicas","value":5}]' >/dev/null
expect_eq "$(k get deploy web -o jsonpath='{.metadata.labels.x} {.spec.replicas}')" "1 5"
k patch deploy web --type=json -p '[{"op":"remove","path":"/spec/template/spec/containers/1"}]' >/dev/null
expect_eq "$(k get deploy web -o jsonpath='{.spec.template.spec.containers[*].name}')" "app"
expect_fail k patch deploy web --type=json -p '[{"op":"remove","path":"/spec/nothing"}]'
expect_contains "$OUT" "doc is missing path"
expect_fail k patch deploy web --type=json -p '[{"op":"test","path":"/spec/replicas","value":9}]'
expect_contains "$OUT" "test failed"

# merge patch on a ConfigMap, deleting a key with null
k create cm -h >/dev/null
k apply -f - >/dev/null <<'YAML'
apiVersion: v1
kind: ConfigMap
metadata: {name: c}
data: {a: "1", b: "2"}
YAML
k patch cm c --type=merge -p '{"data":{"a":null,"z":"26"}}' >/dev/null
expect_eq "$(k get cm c -o jsonpath='{.data}')" '{"b":"2","z":"26"}'

# optimistic concurrency: a stale resourceVersion is a Conflict
rv=$(k get cm c -o jsonpath='{.metadata.resourceVersion}')
k label cm c bump=1 >/dev/null
k get cm c -o json | jq --arg rv "$rv" '.metadata.resourceVersion=$rv | .data.b="x"' > stale.json
expect_fail k replace -f stale.json
expect_contains "$OUT" 'Error from server (Conflict): error when replacing "stale.json": Operation cannot be fulfilled on configmaps "c": the object has been modified; please apply your changes to the latest version and try again'
k get cm c -o json | jq '.data.b="y"' > fresh.json
expect_eq "$(k replace -f fresh.json)" "configmap/c replaced"
expect_eq "$(k get cm c -o jsonpath='{.data.b}')" "y"
stop_server
