# immutable fields: updates, patches and server-side applies that change what
# Kubernetes fixes get its 422 Invalid texts (kubectl prints them; Flux's
# force-recreate matches them).
start_server
k apply -f - >/dev/null <<'YAML'
apiVersion: v1
kind: ConfigMap
metadata: {name: frozen}
immutable: true
data: {a: "1"}
YAML
cm() { printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: frozen}\nimmutable: %s\ndata: {a: "%s"}\n' "$1" "$2"; }
expect_fail k apply -f <(cm true 2)
expect_eq "$OUT" 'The ConfigMap "frozen" is invalid: data: Forbidden: field is immutable when `immutable` is set'
expect_fail k apply --server-side --force-conflicts -f <(cm true 2)
expect_contains "$OUT" 'The ConfigMap "frozen" is invalid: data: Forbidden: field is immutable when `immutable` is set'
expect_fail k patch cm frozen --type=merge -p '{"immutable":false}'
expect_contains "$OUT" 'immutable: Forbidden: field is immutable when `immutable` is set'
expect_fail k replace -f <(cm false 3)
expect_contains "$OUT" '* immutable: Forbidden: field is immutable when `immutable` is set'
expect_contains "$OUT" '* data: Forbidden: field is immutable when `immutable` is set'
out=$(raw PATCH /api/v1/namespaces/default/configmaps/frozen -H 'Content-Type: application/merge-patch+json' -d '{"data":{"a":"9"}}')
expect_eq "$(jq -c '[.code, .reason, .message, .details.causes]' <<<"$out")" \
  '[422,"Invalid","ConfigMap \"frozen\" is invalid: data: Forbidden: field is immutable when `immutable` is set",[{"reason":"FieldValueForbidden","message":"Forbidden: field is immutable when `immutable` is set","field":"data"}]]'
expect_eq "$(k get cm frozen -o jsonpath='{.data.a}')" "1" "data unchanged"
# metadata may still change
expect_eq "$(k label cm frozen x=y)" "configmap/frozen labeled"

# Secrets: immutable data, fixed type
k create secret generic sec --from-literal=a=1 >/dev/null
expect_fail k patch secret sec --type=merge -p '{"type":"kubernetes.io/basic-auth"}'
expect_contains "$OUT" 'The Secret "sec" is invalid: type: Invalid value: "kubernetes.io/basic-auth": field is immutable'
k patch secret sec --type=merge -p '{"immutable":true}' >/dev/null
expect_fail k patch secret sec --type=merge -p '{"stringData":{"a":"2"}}'
expect_contains "$OUT" 'The Secret "sec" is invalid: data: Forbidden: field is immutable when `immutable` is set'

# workload selectors
dep() { printf 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  selector: {matchLabels: {app: %s}}\n  template:\n    metadata: {labels: {app: %s}}\n    spec: {containers: [{name: c, image: nginx}]}\n' "$1" "$1"; }
k apply -f <(dep web) >/dev/null
expect_fail k apply -f <(dep other)
expect_eq "$OUT" 'The Deployment "web" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"other"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable'
expect_fail k apply --server-side --force-conflicts -f <(dep other)
expect_contains "$OUT" 'spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{"app":"other"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable'
expect_fail k patch deploy web --type=json -p '[{"op":"replace","path":"/spec/selector","value":{"matchExpressions":[{"key":"app","operator":"In","values":["web","x"]}]}}]'
expect_contains "$OUT" 'Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:"app", Operator:"In", Values:[]string{"web", "x"}}}}: field is immutable'
# dry runs are refused alike; allowed changes still go through
expect_fail k apply --dry-run=server -f <(dep other)
expect_contains "$OUT" 'field is immutable'
expect_eq "$(k scale deploy web --replicas=3)" "deployment.apps/web scaled"

# StatefulSet: only some spec fields may change
sts() { printf 'apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: db}\nspec:\n  serviceName: %s\n  replicas: %s\n  selector: {matchLabels: {app: db}}\n  template:\n    metadata: {labels: {app: db}}\n    spec: {containers: [{name: c, image: "%s"}]}\n' "$1" "$2" "$3"; }
k apply -f <(sts db 1 pg:1) >/dev/null
expect_eq "$(k apply -f <(sts db 2 pg:2))" "statefulset.apps/db configured"
expect_fail k apply -f <(sts other 2 pg:2)
expect_eq "$OUT" "The StatefulSet \"db\" is invalid: spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"

# Job: the pod template is fixed, but a suspended Job that never ran may
# change its scheduling directives
job() { printf 'apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec:\n  suspend: %s\n  template:\n    spec:\n      restartPolicy: Never\n      nodeSelector: {zone: "%s"}\n      containers: [{name: c, image: "%s"}]\n' "$1" "$2" "$3"; }
k apply -f <(job true a busybox:1) >/dev/null
expect_eq "$(k apply -f <(job true b busybox:1))" "job.batch/j configured"
expect_fail k apply -f <(job true b busybox:2)
expect_eq "$OUT" 'The Job "j" is invalid: spec.template: Invalid value: core.PodTemplateSpec{...}: field is immutable'
k patch job j --subresource=status --type=merge -p '{"status":{"startTime":"2024-01-01T00:00:00Z"}}' >/dev/null
expect_fail k apply -f <(job true c busybox:1)
expect_contains "$OUT" 'spec.template: Invalid value: core.PodTemplateSpec{...}: field is immutable'

# Service: the cluster IP may not change once set; leaving it out keeps it
svc() { printf 'apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  %s\n  ports: [{port: 80}]\n' "$1"; }
k apply -f <(svc 'clusterIP: 10.96.0.50') >/dev/null
expect_fail k apply -f <(svc 'clusterIP: 10.96.0.51')
expect_eq "$OUT" 'The Service "s" is invalid: spec.clusterIPs[0]: Invalid value: []string{"10.96.0.51"}: may not change once set'
k replace -f <(svc 'selector: {app: s}') >/dev/null
expect_eq "$(k get svc s -o jsonpath='{.spec.clusterIP} {.spec.clusterIPs}')" '10.96.0.50 ["10.96.0.50"]' "cluster IP kept"

# PVC: only a bound claim's storage request may change
pvc() { printf 'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: data}\nspec:\n  accessModes: [%s]\n  resources: {requests: {storage: %s}}\n' "$1" "$2"; }
k apply -f <(pvc ReadWriteOnce 1Gi) >/dev/null
expect_fail k apply -f <(pvc ReadWriteMany 1Gi)
expect_contains "$OUT" 'The PersistentVolumeClaim "data" is invalid: spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims'
expect_contains "$OUT" '+ 	AccessModes: ["ReadWriteMany"],'
expect_fail k apply -f <(pvc ReadWriteOnce 2Gi)
expect_contains "$OUT" 'spec is immutable after creation'
k patch pvc data --subresource=status --type=merge -p '{"status":{"phase":"Bound"}}' >/dev/null
expect_eq "$(k apply -f <(pvc ReadWriteOnce 2Gi))" "persistentvolumeclaim/data configured"
expect_eq "$(k get pvc data -o jsonpath='{.spec.resources.requests.storage}')" "2Gi"
stop_server
