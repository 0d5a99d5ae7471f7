# server-side apply of associative lists with several keys (container ports by
# containerPort+protocol, Service ports by port+protocol, topology spread
# constraints by topologyKey+whenUnsatisfiable), and CRD list and map types
# (x-kubernetes-list-type map/set/atomic, x-kubernetes-map-type atomic).
start_server
mf() { # mf KIND NAME MANAGER JQ-PATH: that manager's fieldsV1 at a path
  k get "$1" "$2" -o json --show-managed-fields |
    jq -c --arg m "$3" "[.metadata.managedFields[] | select(.manager==\$m) | .fieldsV1$4][0]"
}
cat > a.yaml <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: app
        image: nginx:1
        ports:
        - {containerPort: 80}
        - {containerPort: 53, protocol: UDP}
YAML
expect_eq "$(k apply --server-side --field-manager=a -f a.yaml)" "deployment.apps/web serverside-applied"
P='["f:spec"]["f:template"]["f:spec"]["f:containers"]["k:{\"name\":\"app\"}"]["f:ports"]'
expect_eq "$(mf deploy web a "$P")" \
  '{"k:{\"containerPort\":53,\"protocol\":\"UDP\"}":{".":{},"f:containerPort":{},"f:protocol":{}},"k:{\"containerPort\":80,\"protocol\":\"TCP\"}":{".":{},"f:containerPort":{}}}' \
  "ports keyed by containerPort and protocol (TCP when absent)"
expect_eq "$(mf deploy web a '["f:spec"]["f:selector"]')" '{}' "a label selector is atomic"
# as kubectl shows it
expect_contains "$(k get deploy web -o yaml --show-managed-fields)" '                f:ports:
                  k:{"containerPort":53,"protocol":"UDP"}:
                    .: {}
                    f:containerPort: {}
                    f:protocol: {}
                  k:{"containerPort":80,"protocol":"TCP"}:
                    .: {}
                    f:containerPort: {}
    manager: a'
# another manager's 53/TCP is a different element from a's 53/UDP
cat > b.yaml <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  template:
    spec:
      containers:
      - name: app
        ports:
        - {containerPort: 53, protocol: TCP, name: dns-tcp}
YAML
expect_eq "$(k apply --server-side --field-manager=b -f b.yaml)" "deployment.apps/web serverside-applied"
ports() { k get deploy web -o jsonpath='{range .spec.template.spec.containers[0].ports[*]}{.containerPort}/{.protocol}{" "}{end}'; }
expect_eq "$(ports)" "80/TCP 53/UDP 53/TCP " "53/TCP added next to 53/UDP"
# a drops 53/UDP: it goes, b's 53/TCP stays
sed -i '/protocol: UDP/d' a.yaml
k apply --server-side --field-manager=a -f a.yaml >/dev/null
expect_eq "$(ports)" "80/TCP 53/TCP " "a's dropped element removed"
# naming port 80 differently from b is a conflict on that element's field
printf 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  template:\n    spec:\n      containers:\n      - name: app\n        ports:\n        - {containerPort: 53, protocol: TCP, name: dns}\n' > a2.yaml
expect_fail k apply --server-side --field-manager=a -f a2.yaml
expect_contains "$OUT" 'Apply failed with 1 conflict: conflict with "b" using apps/v1: .spec.template.spec.containers[name="app"].ports[containerPort=53,protocol="TCP"].name'

# element order as the structured merge orders it: a new element configured
# before a shared one goes before it; other managers' elements keep their place
ctr() { # ctr MANAGER NAME...: apply a Deployment "order" with these containers
  local m=$1; shift
  { printf 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: order}\nspec:\n'
    printf '  selector: {matchLabels: {app: o}}\n  template:\n    metadata: {labels: {app: o}}\n    spec:\n      containers:\n'
    for n in "$@"; do printf '      - {name: %s, image: busybox}\n' "$n"; done; } > order.yaml
  k apply --server-side --field-manager="$m" -f order.yaml >/dev/null
}
names() { k get deploy order -o jsonpath='{.spec.template.spec.containers[*].name}'; }
ctr m1 a b
ctr m2 c
expect_eq "$(names)" "a b c"
ctr m1 x a b
expect_eq "$(names)" "x a b c" "new element before the shared ones"
ctr m1 b x
expect_eq "$(names)" "b c x" "a removed; x, shared, follows b once c (not configured) has its place"

# Service ports by port and protocol
cat > s1.yaml <<'YAML'
apiVersion: v1
kind: Service
metadata: {name: dns}
spec:
  selector: {app: dns}
  ports:
  - {name: udp, port: 53, protocol: UDP}
YAML
printf 'apiVersion: v1\nkind: Service\nmetadata: {name: dns}\nspec:\n  ports:\n  - {name: tcp, port: 53}\n' > s2.yaml
k apply --server-side --field-manager=a -f s1.yaml >/dev/null
k apply --server-side --field-manager=b -f s2.yaml >/dev/null
expect_eq "$(k get svc dns -o jsonpath='{range .spec.ports[*]}{.name}:{.port}/{.protocol} {end}')" "udp:53/UDP tcp:53/TCP "
expect_eq "$(mf svc dns b '["f:spec"]["f:ports"] | keys')" '["k:{\"port\":53,\"protocol\":\"TCP\"}"]'
expect_eq "$(mf svc dns a '["f:spec"]["f:selector"]')" '{}' "a Service selector is atomic"

# topology spread constraints by topologyKey and whenUnsatisfiable
cat > t1.yaml <<'YAML'
apiVersion: v1
kind: Pod
metadata: {name: spread}
spec:
  containers: [{name: c, image: busybox}]
  topologySpreadConstraints:
  - {topologyKey: zone, whenUnsatisfiable: DoNotSchedule, maxSkew: 1}
  hostAliases: [{ip: 10.0.0.1, hostnames: [a.local]}]
YAML
printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: spread}\nspec:\n  topologySpreadConstraints:\n  - {topologyKey: zone, whenUnsatisfiable: ScheduleAnyway, maxSkew: 2}\n  hostAliases: [{ip: 10.0.0.2, hostnames: [b.local]}]\n' > t2.yaml
k apply --server-side --field-manager=a -f t1.yaml >/dev/null
k apply --server-side --field-manager=b -f t2.yaml >/dev/null
expect_eq "$(k get pod spread -o jsonpath='{range .spec.topologySpreadConstraints[*]}{.whenUnsatisfiable}:{.maxSkew} {end}')" \
  "DoNotSchedule:1 ScheduleAnyway:2 "
expect_eq "$(mf pod spread b '["f:spec"]["f:topologySpreadConstraints"] | keys')" \
  '["k:{\"topologyKey\":\"zone\",\"whenUnsatisfiable\":\"ScheduleAnyway\"}"]'
expect_eq "$(k get pod spread -o jsonpath='{.spec.hostAliases[*].ip}')" "10.0.0.1 10.0.0.2" "host aliases by ip"
expect_eq "$(mf pod spread b '["f:spec"]["f:hostAliases"]')" '{"k:{\"ip\":\"10.0.0.2\"}":{".":{},"f:hostnames":{},"f:ip":{}}}'

# CRD list and map types
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
            properties:
              endpoints:
                type: array
                x-kubernetes-list-type: map
                x-kubernetes-list-map-keys: [name, proto]
                items:
                  type: object
                  required: [name]
                  properties:
                    name: {type: string}
                    proto: {type: string, default: tcp}
                    weight: {type: integer}
              tags:
                type: array
                x-kubernetes-list-type: set
                items: {type: string}
              args:
                type: array
                items: {type: string}
              ref:
                type: object
                x-kubernetes-map-type: atomic
                properties:
                  name: {type: string}
                  kind: {type: string}
              params:
                type: object
                additionalProperties: {type: string}
YAML
k wait --for=condition=Established crd/gadgets.example.com >/dev/null
cat > g1.yaml <<'YAML'
apiVersion: example.com/v1
kind: Gadget
metadata: {name: g}
spec:
  endpoints:
  - {name: a, proto: udp, weight: 1}
  - {name: b, weight: 5}
  tags: [x, w]
  args: [one, two]
  ref: {name: r, kind: K}
  params: {p: "1"}
YAML
cat > g2.yaml <<'YAML'
apiVersion: example.com/v1
kind: Gadget
metadata: {name: g}
spec:
  endpoints:
  - {name: a, weight: 2}
  tags: [z]
  params: {q: "2"}
YAML
k apply --server-side --field-manager=a -f g1.yaml >/dev/null
expect_eq "$(k apply --server-side --field-manager=b -f g2.yaml)" "gadget.example.com/g serverside-applied"
expect_eq "$(k get gadget g -o jsonpath='{range .spec.endpoints[*]}{.name}/{.proto}:{.weight} {end}')" \
  "a/udp:1 b/tcp:5 a/tcp:2 " "map list keyed by name and proto (default tcp)"
expect_eq "$(k get gadget g -o jsonpath='{.spec.tags}')" '["x","w","z"]' "set union"
expect_eq "$(k get gadget g -o jsonpath='{.spec.params}')" '{"p":"1","q":"2"}' "granular map"
expect_eq "$(mf gadget g b '["f:spec"]')" \
  '{"f:endpoints":{"k:{\"name\":\"a\",\"proto\":\"tcp\"}":{".":{},"f:name":{},"f:weight":{}}},"f:params":{"f:q":{}},"f:tags":{"v:\"z\"":{}}}'
expect_eq "$(mf gadget g a '["f:spec"] | [.["f:args"], .["f:ref"]]')" '[{},{}]' "atomic list and map are leaves"
# atomic list and map: another manager's different value conflicts
printf 'apiVersion: example.com/v1\nkind: Gadget\nmetadata: {name: g}\nspec:\n  args: [three]\n  ref: {name: s}\n' > g3.yaml
expect_fail k apply --server-side --field-manager=c -f g3.yaml
expect_contains "$OUT" 'Apply failed with 2 conflicts: conflict with "a" using example.com/v1: .spec.args'
expect_contains "$OUT" 'conflict with "a" using example.com/v1: .spec.ref'
k apply --server-side --field-manager=c --force-conflicts -f g3.yaml >/dev/null
expect_eq "$(k get gadget g -o jsonpath='{.spec.args} {.spec.ref}')" '["three"] {"name":"s"}' "atomic values replaced whole"
# a drops endpoint b and tag w: they go; b's endpoint and tag stay
cat > g1.yaml <<'YAML'
apiVersion: example.com/v1
kind: Gadget
metadata: {name: g}
spec:
  endpoints:
  - {name: a, proto: udp, weight: 1}
  tags: [x]
YAML
k apply --server-side --field-manager=a -f g1.yaml >/dev/null
expect_eq "$(k get gadget g -o jsonpath='{range .spec.endpoints[*]}{.name}/{.proto} {end}{.spec.tags}')" \
  'a/udp a/tcp ["x","z"]' "dropped map element and set value removed"
# sets and maps hold no duplicates (the key default counts)
printf 'apiVersion: example.com/v1\nkind: Gadget\nmetadata: {name: dup}\nspec:\n  endpoints: [{name: a}, {name: a, proto: tcp}]\n  tags: [x, x]\n' > dup.yaml
expect_fail k apply --server-side -f dup.yaml
expect_contains "$OUT" 'The Gadget "dup" is invalid: '
expect_contains "$OUT" '* spec.endpoints[1]: Duplicate value: map[string]interface {}{"name":"a", "proto":"tcp"}'
expect_contains "$OUT" '* spec.tags[1]: Duplicate value: "x"'
stop_server
