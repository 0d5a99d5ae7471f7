# server-side apply: field managers, removal of dropped fields, conflicts,
# force, ownership taken by other writes, diff --server-side, dry runs.
start_server
cat > a.yaml <<'YAML'
apiVersion: v1
kind: ConfigMap
metadata:
  name: s
  labels: {team: a}
data: {one: "1", two: "2"}
YAML
expect_eq "$(k apply --server-side -f a.yaml)" "configmap/s serverside-applied"
mf=$(k get cm s -o json --show-managed-fields | jq -c '.metadata.managedFields[] | [.manager, .operation, .fieldsV1]')
expect_eq "$mf" '["kubectl","Apply",{"f:data":{"f:one":{},"f:two":{}},"f:metadata":{"f:labels":{"f:team":{}}}}]'
# dropping a field removes it
sed -i 's/two: "2"/three: "3"/' a.yaml
expect_contains "$(k diff --server-side -f a.yaml || true)" '+  three: "3"'
expect_eq "$(k apply --server-side -f a.yaml)" "configmap/s serverside-applied"
expect_eq "$(k get cm s -o jsonpath='{.data}')" '{"one":"1","three":"3"}'

# another manager applying a different value conflicts
cat > b.yaml <<'YAML'
apiVersion: v1
kind: ConfigMap
metadata: {name: s}
data: {one: "uno"}
YAML
expect_fail k apply --server-side --field-manager=other -f b.yaml
expect_contains "$OUT" 'Apply failed with 1 conflict: conflict with "kubectl" using v1: .data.one'
out=$(raw PATCH '/api/v1/namespaces/default/configmaps/s?fieldManager=other' \
  -H 'Content-Type: application/apply-patch+yaml' --data-binary @<(jq -n '{apiVersion:"v1",kind:"ConfigMap",metadata:{name:"s"},data:{one:"uno"}}'))
expect_eq "$(jq -r '.code|tostring' <<<"$out") $(jq -r .reason <<<"$out") $(jq -r '.details.causes[0].field' <<<"$out")" "409 Conflict .data.one"
# the same value is shared ownership, not a conflict
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: s}\ndata: {one: "1"}\n' > same.yaml
expect_eq "$(k apply --server-side --field-manager=other -f same.yaml)" "configmap/s serverside-applied"
# force takes the field
expect_eq "$(k apply --server-side --field-manager=other --force-conflicts -f b.yaml)" "configmap/s serverside-applied"
expect_eq "$(k get cm s -o jsonpath='{.data.one}')" "uno"
expect_eq "$(k get cm s -o json --show-managed-fields | jq -c '[.metadata.managedFields[] | select(.manager=="kubectl") | .fieldsV1["f:data"]]')" \
  '[{"f:three":{}}]' "kubectl lost .data.one"
# a field kubectl no longer owns but another manager does stays when kubectl drops it
sed -i 's/data: {one: "1", three: "3"}/data: {three: "3"}/' a.yaml
k apply --server-side -f a.yaml >/dev/null
expect_eq "$(k get cm s -o jsonpath='{.data.one}')" "uno"

# a label set by kubectl label is owned by kubectl-label: applying another value conflicts
k label cm s owner=me >/dev/null
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: s, labels: {owner: you}}\n' > l.yaml
expect_fail k apply --server-side --field-manager=third -f l.yaml
expect_contains "$OUT" 'conflict with "kubectl-label"'

# lists merge by key: containers by name
cat > d.yaml <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - {name: app, image: "nginx:1"}
YAML
k apply --server-side -f d.yaml >/dev/null
cat > side.yaml <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    spec:
      containers:
      - {name: side, image: "busybox:1"}
YAML
k apply --server-side --field-manager=sidecar -f side.yaml >/dev/null
expect_eq "$(k get deploy web -o jsonpath='{.spec.template.spec.containers[*].name}')" "app side"

# dry run changes nothing; apply creates with 201
rv=$(k get cm s -o jsonpath='{.metadata.resourceVersion}')
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: s}\ndata: {three: "4"}\n' > dry.yaml
k apply --server-side --dry-run=server --force-conflicts -f dry.yaml >/dev/null
expect_eq "$(k get cm s -o jsonpath='{.data.three} {.metadata.resourceVersion}')" "3 $rv"
out=$(raw PATCH '/api/v1/namespaces/default/configmaps/fresh?fieldManager=x' -o /dev/null -w '%{http_code}' \
  -H 'Content-Type: application/apply-patch+yaml' -d '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"fresh"}}')
expect_eq "$out" "201"
out=$(raw PATCH '/api/v1/namespaces/default/configmaps/fresh' \
  -H 'Content-Type: application/apply-patch+yaml' -d '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"fresh"}}')
expect_contains "$(jq -r .message <<<"$out")" "fieldManager: Required value"
stop_server

# kubectl's first server-side apply after client-side applies takes over the
# fields the last-applied configuration set (and still hold its values)
start_server
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: up}\ndata: {a: "1", b: "1"}\n' > up.yaml
k apply -f up.yaml >/dev/null
k patch cm up --type=merge -p '{"data":{"b":"by-hand"}}' >/dev/null
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: up}\ndata: {a: "2"}\n' > up2.yaml
expect_eq "$(k apply --server-side -f up2.yaml)" "configmap/up serverside-applied"
expect_eq "$(k get cm up -o jsonpath='{.data.a}')" "2"
# a field changed since (b, now owned by kubectl-patch) still conflicts
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: up}\ndata: {a: "2", b: "2"}\n' > up3.yaml
expect_fail k apply --server-side -f up3.yaml
expect_contains "$OUT" 'conflict with "kubectl-patch" using v1: .data.b'
# other managers get no such pass
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: up2}\ndata: {a: "1"}\n' > u4.yaml
k apply -f u4.yaml >/dev/null
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: up2}\ndata: {a: "9"}\n' > u5.yaml
expect_fail k apply --server-side --field-manager=flux -f u5.yaml
expect_contains "$OUT" 'conflict with "kubectl-client-side-apply" using v1: .data.a'
stop_server
