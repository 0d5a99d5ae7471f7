# CRDs: create one, it is Established and served at once; CRs apply, printer
# columns, status subresource, wait --for=condition, multiple versions.
start_server
cat > crd.yaml <<'YAML'
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  scope: Namespaced
  names:
    plural: widgets
    singular: widget
    kind: Widget
    shortNames: [wd]
    categories: [gadgets]
  versions:
  - name: v1
    served: true
    storage: true
    subresources: {status: {}}
    additionalPrinterColumns:
    - name: Ready
      type: string
      jsonPath: .status.conditions[?(@.type=="Ready")].status
    - name: Size
      type: integer
      jsonPath: .spec.size
    schema:
      openAPIV3Schema:
        type: object
        x-kubernetes-preserve-unknown-fields: true
  - name: v1beta1
    served: true
    storage: false
    schema:
      openAPIV3Schema:
        type: object
        x-kubernetes-preserve-unknown-fields: true
YAML
expect_eq "$(k apply -f crd.yaml)" "customresourcedefinition.apiextensions.k8s.io/widgets.example.com created"
expect_eq "$(k wait --for=condition=Established crd/widgets.example.com --timeout=5s)" \
  "customresourcedefinition.apiextensions.k8s.io/widgets.example.com condition met"
expect_eq "$(k get crd widgets.example.com -o jsonpath='{.status.acceptedNames.kind} {.status.storedVersions}')" \
  'Widget ["v1"]'
cat > w.yaml <<'YAML'
apiVersion: example.com/v1
kind: Widget
metadata: {name: w1}
spec: {size: 3}
YAML
expect_eq "$(k apply -f w.yaml)" "widget.example.com/w1 created"
expect_eq "$(k get wd w1 -o jsonpath='{.spec.size} {.metadata.generation}')" "3 1"
expect_eq "$(k get widgets --no-headers | tr -s ' ')" "w1 3"
expect_eq "$(k get gadgets -o name)" "widget.example.com/w1" "category"
expect_eq "$(k api-resources --api-group=example.com --no-headers | tr -s ' ')" "widgets wd example.com/v1 true Widget"

# status subresource: the main resource ignores status, /status ignores spec
k patch wd w1 --type=merge -p '{"status":{"x":1}}' >/dev/null
expect_eq "$(k get wd w1 -o jsonpath='{.status}')" "" "status via main resource"
k patch wd w1 --subresource=status --type=merge \
  -p '{"spec":{"size":9},"status":{"conditions":[{"type":"Ready","status":"True","reason":"Done","message":"ok"}]}}' >/dev/null
expect_eq "$(k get wd w1 -o jsonpath='{.spec.size} {.metadata.generation} {.status.conditions[0].reason}')" "3 1 Done"
expect_eq "$(k get wd w1 --no-headers | tr -s ' ')" "w1 True 3"
expect_eq "$(k wait --for=condition=Ready wd/w1 --timeout=5s)" "widget.example.com/w1 condition met"
expect_eq "$(k wait --for=jsonpath='{.spec.size}'=3 wd/w1 --timeout=5s)" "widget.example.com/w1 condition met"

# spec change bumps generation; strategic merge is refused for CRs
k patch wd w1 --type=merge -p '{"spec":{"size":4}}' >/dev/null
expect_eq "$(k get wd w1 -o jsonpath='{.metadata.generation}')" "2"
expect_fail k patch wd w1 --type=strategic -p '{"spec":{"size":5}}'
expect_contains "$OUT" "application/strategic-merge-patch+json is not supported by example.com/v1, Kind=Widget"

# the same object through the other served version
expect_eq "$(k get widgets.v1beta1.example.com w1 -o jsonpath='{.apiVersion} {.spec.size}')" "example.com/v1beta1 4"

# wait --for=condition on a later change
k wait --for=condition=Synced wd/w1 --timeout=10s > wait.out 2>&1 &
waiter=$!
sleep 1
k patch wd w1 --subresource=status --type=merge \
  -p '{"status":{"conditions":[{"type":"Synced","status":"True"}]}}' >/dev/null
wait $waiter || fail "wait failed: $(cat wait.out)"
expect_eq "$(cat wait.out)" "widget.example.com/w1 condition met"

# cluster-scoped CRD
k apply -f - >/dev/null <<'YAML'
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: zones.example.com}
spec:
  group: example.com
  scope: Cluster
  names: {plural: zones, kind: Zone}
  versions:
  - {name: v1, served: true, storage: true, schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}}
YAML
k apply -f - >/dev/null <<'YAML'
apiVersion: example.com/v1
kind: Zone
metadata: {name: eu}
YAML
expect_eq "$(k get zones -o jsonpath='{.items[*].metadata.name}')" "eu"
expect_eq "$(k get crd zones.example.com -o jsonpath='{.spec.names.singular} {.spec.names.listKind}')" "zone ZoneList"

# invalid CRD
expect_fail k apply -f - <<'YAML'
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: wrong.example.com}
spec:
  group: example.com
  scope: Namespaced
  names: {plural: things, kind: Thing}
  versions: [{name: v1, served: true, storage: true}]
YAML
expect_contains "$OUT" 'must be spec.names.plural+"."+spec.group'

# deleting the CRD removes its objects and its endpoints
k delete crd widgets.example.com >/dev/null
expect_fail k get --raw /apis/example.com/v1/namespaces/default/widgets
expect_contains "$OUT" "NotFound"
stop_server
