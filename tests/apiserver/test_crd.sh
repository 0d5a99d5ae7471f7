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
expect_eq "$(k get crd --no-headers | awk '{print $1}')" "widgets.example.com"
expect_eq "$(k get crd | head -1 | tr -s ' ')" "NAME CREATED AT"
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

# custom resources refuse an update without resourceVersion, as the real server does
k get wd w1 -o json | jq 'del(.metadata.resourceVersion)' > norv.json
out=$(raw PUT /apis/example.com/v1/namespaces/default/widgets/w1 -H 'Content-Type: application/json' --data-binary @norv.json)
expect_eq "$(jq -r '(.code|tostring) + " " + .message' <<<"$out")" \
  '422 Widget.example.com "w1" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update'
expect_eq "$(k replace -f norv.json)" "widget.example.com/w1 replaced" "kubectl replace fills it in"

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

# structural schema: defaults, pruning, strict unknown fields, validation
k apply -f - >/dev/null <<'YAML'
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: gadgets.example.com}
spec:
  group: example.com
  scope: Namespaced
  names: {plural: gadgets, kind: Gadget}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            required: [size]
            properties:
              size: {type: integer, minimum: 1, maximum: 10}
              color: {type: string, enum: [red, blue], default: red}
              name: {type: string, pattern: '^[a-z]+$', maxLength: 5}
              tags: {type: array, items: {type: string}, maxItems: 2}
              free: {type: object, x-kubernetes-preserve-unknown-fields: true}
YAML
printf 'apiVersion: example.com/v1\nkind: Gadget\nmetadata: {name: g1}\nspec: {size: 3, free: {x: 1}}\n' > g1.yaml
expect_eq "$(k apply -f g1.yaml)" "gadget.example.com/g1 created"
expect_eq "$(k get gadget g1 -o jsonpath='{.spec}')" '{"color":"red","free":{"x":1},"size":3}' "defaults"
printf 'apiVersion: example.com/v1\nkind: Gadget\nmetadata: {name: g2}\nspec: {size: 30, color: green, name: ABCDEFG, tags: [a,b,c]}\n' > g2.yaml
expect_fail k apply -f g2.yaml
expect_eq "$OUT" 'The Gadget "g2" is invalid: 
* spec.color: Unsupported value: "green": supported values: "red", "blue"
* spec.name: Too long: may not be more than 5 bytes
* spec.name: Invalid value: "ABCDEFG": spec.name in body should match '"'"'^[a-z]+$'"'"'
* spec.size: Invalid value: 30: spec.size in body should be less than or equal to 10
* spec.tags: Too many: 3: must have at most 2 items'
printf 'apiVersion: example.com/v1\nkind: Gadget\nmetadata: {name: g3}\nspec: {size: "x"}\n' > g3.yaml
expect_fail k apply -f g3.yaml
expect_eq "$OUT" 'The Gadget "g3" is invalid: spec.size: Invalid value: "string": spec.size in body must be of type integer: "string"'
printf 'apiVersion: example.com/v1\nkind: Gadget\nmetadata: {name: g4}\nspec: {color: red}\n' > g4.yaml
expect_fail k apply -f g4.yaml
expect_eq "$OUT" 'The Gadget "g4" is invalid: spec.size: Required value'
printf 'apiVersion: example.com/v1\nkind: Gadget\nmetadata: {name: g5}\nspec: {size: 2, bogus: 1}\n' > g5.yaml
expect_fail k apply -f g5.yaml
expect_contains "$OUT" 'strict decoding error: unknown field "spec.bogus"'
expect_eq "$(k apply --validate=false -f g5.yaml)" "gadget.example.com/g5 created"
expect_eq "$(k get gadget g5 -o jsonpath='{.spec}')" '{"color":"red","size":2}' "pruned"
expect_fail k patch gadget g1 --type=merge -p '{"spec":{"size":0}}'
expect_contains "$OUT" 'spec.size in body should be greater than or equal to 1'

# deleting the CRD removes its objects and its endpoints
k delete crd widgets.example.com >/dev/null
expect_fail k get --raw /apis/example.com/v1/namespaces/default/widgets
expect_contains "$OUT" "NotFound"
stop_server
