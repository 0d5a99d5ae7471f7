# apply (client-side) and get in every output format.
start_server
cat > cm.yaml <<'YAML'
apiVersion: v1
kind: ConfigMap
metadata:
  name: demo
  labels:
    app: web
data:
  color: blue
YAML
expect_eq "$(k apply -f cm.yaml)" "configmap/demo created"
expect_eq "$(k apply -f cm.yaml)" "configmap/demo unchanged"
sed -i 's/color: blue/color: red/' cm.yaml
expect_eq "$(k apply -f cm.yaml)" "configmap/demo configured"

expect_eq "$(k get cm demo -o jsonpath='{.data.color}')" "red" "jsonpath"
expect_eq "$(k get cm demo -o jsonpath='{.metadata.namespace}/{.metadata.name}')" "default/demo"
uid=$(k get cm demo -o jsonpath='{.metadata.uid}')
[[ "$uid" =~ ^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$ ]] || fail "uid $uid"
[[ "$(k get cm demo -o jsonpath='{.metadata.creationTimestamp}')" =~ ^20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$ ]] \
  || fail "creationTimestamp"

json=$(k get cm demo -o json)
expect_eq "$(jq -r '.apiVersion + " " + .kind + " " + .data.color' <<<"$json")" "v1 ConfigMap red"
expect_contains "$(jq -r '.metadata.annotations["kubectl.kubernetes.io/last-applied-configuration"]' <<<"$json")" '"color":"red"'

yaml=$(k get cm demo -o yaml)
expect_contains "$yaml" "apiVersion: v1"
expect_contains "$yaml" "kind: ConfigMap"
expect_contains "$yaml" "  color: red"
expect_contains "$yaml" "    app: web"

expect_eq "$(k get cm demo -o custom-columns=NAME:.metadata.name,COLOR:.data.color --no-headers | tr -s ' ')" "demo red"
expect_eq "$(k get cm -o name)" "configmap/demo"
table=$(k get cm demo)
expect_eq "$(head -1 <<<"$table" | tr -s ' ')" "NAME DATA AGE" "table header"
expect_contains "$(tail -1 <<<"$table" | tr -s ' ')" "demo 1 "
expect_eq "$(k get cm demo -o wide --no-headers | awk '{print $1, $2}')" "demo 1" "wide"

# A Deployment through apply (strategic merge patch on the second apply).
cat > deploy.yaml <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: app
        image: nginx:1.25
        env:
        - {name: A, value: "1"}
      - name: sidecar
        image: busybox:1.36
YAML
expect_eq "$(k apply -f deploy.yaml)" "deployment.apps/web created"
expect_eq "$(k get deploy web -o jsonpath='{.metadata.generation}')" "1"
sed -i 's/nginx:1.25/nginx:1.26/' deploy.yaml
expect_eq "$(k apply -f deploy.yaml)" "deployment.apps/web configured"
expect_eq "$(k get deploy web -o jsonpath='{.spec.template.spec.containers[*].image}')" "nginx:1.26 busybox:1.36"
expect_eq "$(k get deploy web -o jsonpath='{.metadata.generation}')" "2" "generation after spec change"
# Status is never invented.
expect_eq "$(k get deploy web -o jsonpath='{.status}')" "" "no status"
expect_eq "$(k get deploy web --no-headers | awk '{print $1, $2}')" "web 0/2"

# the scale subresource
expect_eq "$(k scale deploy web --replicas=4)" "deployment.apps/web scaled"
expect_eq "$(k get deploy web -o jsonpath='{.spec.replicas} {.metadata.generation}')" "4 3"
expect_eq "$(k get --raw /apis/apps/v1/namespaces/default/deployments/web/scale | jq -c '[.kind, .spec.replicas, .status.selector]')" \
  '["Scale",4,"app=web"]'
expect_fail k scale deploy web --replicas=2 --current-replicas=3
expect_eq "$OUT" "error: Expected replicas to be 3, was 4"
sed -i 's/replicas: 2/replicas: 4/' deploy.yaml

# get all namespaces, and by short name
expect_eq "$(k get cm -A --no-headers | awk '{print $1, $2}')" "default demo"
expect_eq "$(k get deploy -o name)" "deployment.apps/web"

# Services get the API's defaults and a cluster IP; Pods are Pending
k apply -f - >/dev/null <<'YAML'
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80}, {port: 443, name: https}]
YAML
svc=$(k get svc web --no-headers | awk '{print $1, $2, $3, $4, $5}')
[[ "$svc" =~ ^web\ ClusterIP\ 10\.(9[6-9]|10[0-9]|11[01])\.[0-9]+\.[0-9]+\ \<none\>\ 80/TCP,443/TCP$ ]] || fail "svc row: $svc"
expect_eq "$(k get svc web -o jsonpath='{.spec.ports[1].targetPort} {.spec.sessionAffinity}')" "443 None"
expect_eq "$(k get svc web -o wide --no-headers | awk '{print $1, $NF}')" "web app=web" "svc -o wide selector"
expect_eq "$(k get svc web -o wide | head -1 | awk '{print $NF}')" "SELECTOR"
k apply -f - >/dev/null <<'YAML'
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  containers: [{name: c, image: busybox}]
YAML
expect_eq "$(k get pod p --no-headers | awk '{print $1, $2, $3, $4}')" "p 0/1 Pending 0"
expect_eq "$(k get pod p -o wide | awk 'NR == 1 {print $6, $7, $8, $9, $10, $11} NR == 2 {print $6, $7, $8, $9}')" \
  "$(printf 'IP NODE NOMINATED NODE READINESS GATES\n<none> <none> <none> <none>')" "pod -o wide before scheduling"
k patch pod p --subresource=status --type=merge -p '{"status":{"podIPs":[{"ip":"10.244.0.7"}]}}' >/dev/null
expect_eq "$(k get pod p -o wide --no-headers | awk '{print $6}')" "10.244.0.7" "pod IP once known"

# --dry-run=server changes nothing
rv=$(k get cm demo -o jsonpath='{.metadata.resourceVersion}')
sed -i 's/color: red/color: green/' cm.yaml
expect_eq "$(k apply -f cm.yaml --dry-run=server)" "configmap/demo configured (server dry run)"
expect_eq "$(k get cm demo -o jsonpath='{.data.color} {.metadata.resourceVersion}')" "red $rv" "after dry run"
stop_server
