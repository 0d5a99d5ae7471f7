# built-in defaulting as a real cluster does it (core/v1 and apps/v1 and
# batch/v1 defaults.go, Service IP and node port allocation); defaulted
# fields belong to no field manager, and drift detection sees no difference.
start_server
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
      - name: app
        image: nginx:1.27
        ports: [{containerPort: 80}]
YAML
k apply --server-side -f d.yaml >/dev/null
# what kubectl get prints for this Deployment on a v1.32 cluster
expect_eq "$(k get deploy web -o json | jq -S -c .spec)" "$(jq -S -c . <<'JSON'
{"progressDeadlineSeconds":600,"replicas":1,"revisionHistoryLimit":10,
 "selector":{"matchLabels":{"app":"web"}},
 "strategy":{"rollingUpdate":{"maxSurge":"25%","maxUnavailable":"25%"},"type":"RollingUpdate"},
 "template":{"metadata":{"creationTimestamp":null,"labels":{"app":"web"}},
  "spec":{"containers":[{"image":"nginx:1.27","imagePullPolicy":"IfNotPresent","name":"app",
    "ports":[{"containerPort":80,"protocol":"TCP"}],"resources":{},
    "terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File"}],
   "dnsPolicy":"ClusterFirst","restartPolicy":"Always","schedulerName":"default-scheduler",
   "securityContext":{},"terminationGracePeriodSeconds":30}}}
JSON
)" "defaulted Deployment spec"
# defaults belong to no manager; re-applying and diffing see no change
expect_eq "$(k get deploy web -o json --show-managed-fields | jq -c '.metadata.managedFields[0].fieldsV1["f:spec"] | keys')" \
  '["f:selector","f:template"]'
expect_eq "$(k diff --server-side -f d.yaml; echo "rc=$?")" "rc=0" "no drift"
rv=$(k get deploy web -o jsonpath='{.metadata.resourceVersion}')
k apply --server-side -f d.yaml >/dev/null
expect_eq "$(k get deploy web -o jsonpath='{.metadata.resourceVersion}')" "$rv" "re-apply is a no-op"
# client-side apply: unchanged on the second run
sed 's/name: web/name: csa/' d.yaml > c.yaml
k apply -f c.yaml >/dev/null
expect_eq "$(k apply -f c.yaml)" "deployment.apps/csa unchanged"
# a field dropped from the configuration falls back to its default
printf 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 3\n' > r.yaml
k apply --server-side --field-manager=scaler -f r.yaml >/dev/null
expect_eq "$(k get deploy web -o jsonpath='{.spec.replicas}')" "3"
printf 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n' > r.yaml
k apply --server-side --field-manager=scaler -f r.yaml >/dev/null
expect_eq "$(k get deploy web -o jsonpath='{.spec.replicas}')" "1" "replicas back to the default"

# Pods: enableServiceLinks, and imagePullPolicy by the tag rule
pod() { printf 'apiVersion: v1\nkind: Pod\nmetadata: {name: %s}\nspec:\n  containers: [{name: c, image: "%s"}]\n' "$1" "$2"; }
while read -r name image want; do
  k apply -f <(pod "$name" "$image") >/dev/null
  expect_eq "$(k get pod "$name" -o jsonpath='{.spec.containers[0].imagePullPolicy}')" "$want" "pull policy of $image"
done <<'LIST'
p1 busybox Always
p2 busybox:latest Always
p3 busybox:1.36 IfNotPresent
p4 registry.local:5000/busybox Always
p5 busybox@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef IfNotPresent
LIST
expect_eq "$(k get pod p1 -o jsonpath='{.spec.enableServiceLinks} {.spec.restartPolicy} {.spec.terminationGracePeriodSeconds}')" "true Always 30"
k apply -f - >/dev/null <<'YAML'
apiVersion: v1
kind: Pod
metadata: {name: probes}
spec:
  volumes: [{name: v, configMap: {name: c}}]
  containers:
  - name: c
    image: busybox
    env: [{name: N, valueFrom: {fieldRef: {fieldPath: metadata.name}}}]
    readinessProbe: {httpGet: {port: 8080}}
YAML
expect_eq "$(k get pod probes -o json | jq -c '[.spec.volumes[0].configMap.defaultMode, .spec.containers[0].env[0].valueFrom.fieldRef.apiVersion, .spec.containers[0].readinessProbe]')" \
  '[420,"v1",{"failureThreshold":3,"httpGet":{"path":"/","port":8080,"scheme":"HTTP"},"periodSeconds":10,"successThreshold":1,"timeoutSeconds":1}]'

# Services: a cluster IP from 10.96.0.0/12, IPv4 single stack, node ports
svc() { printf 'apiVersion: v1\nkind: Service\nmetadata: {name: %s}\nspec:\n  selector: {app: web}\n  %s\n  ports: [{port: 80}]\n' "$1" "$2"; }
k apply -f <(svc a 'type: ClusterIP') >/dev/null
k apply -f <(svc b 'type: ClusterIP') >/dev/null
ipa=$(k get svc a -o jsonpath='{.spec.clusterIP}')
ipb=$(k get svc b -o jsonpath='{.spec.clusterIP}')
[[ "$ipa" =~ ^10\.(9[6-9]|10[0-9]|11[01])\.[0-9]+\.[0-9]+$ ]] || fail "cluster IP $ipa"
[ "$ipa" != "$ipb" ] || fail "two Services got $ipa"
expect_eq "$(k get svc a -o json | jq -S -c '.spec | del(.clusterIP, .clusterIPs, .selector)')" \
  '{"internalTrafficPolicy":"Cluster","ipFamilies":["IPv4"],"ipFamilyPolicy":"SingleStack","ports":[{"port":80,"protocol":"TCP","targetPort":80}],"sessionAffinity":"None","type":"ClusterIP"}'
expect_eq "$(k get svc a -o jsonpath='{.spec.clusterIPs[0]} {.status}')" "$ipa {\"loadBalancer\":{}}"
expect_eq "$(k apply -f <(svc a 'type: ClusterIP'))" "service/a unchanged" "the allocated IP is kept"
expect_fail k apply -f <(svc c "clusterIP: $ipa")
expect_eq "$OUT" "The Service \"c\" is invalid: spec.clusterIPs: Invalid value: []string{\"$ipa\"}: failed to allocate IP $ipa: provided IP is already allocated"
k apply -f <(svc np 'type: NodePort') >/dev/null
np=$(k get svc np -o jsonpath='{.spec.ports[0].nodePort}')
[ "$np" -ge 30000 ] && [ "$np" -le 32767 ] || fail "node port $np"
expect_eq "$(k get svc np -o jsonpath='{.spec.externalTrafficPolicy}')" "Cluster"
k apply -f <(svc np 'type: NodePort') >/dev/null
expect_eq "$(k get svc np -o jsonpath='{.spec.ports[0].nodePort}')" "$np" "node port kept"
# changing the type drops what the old type had (node ports, then cluster IPs)
k apply --server-side --force-conflicts -f <(svc np "type: ClusterIP") >/dev/null
expect_eq "$(k get svc np -o json | jq -c '[.spec.ports[0].nodePort, .spec.externalTrafficPolicy, .spec.type]')" '[null,null,"ClusterIP"]'
k apply --server-side --force-conflicts -f <(printf 'apiVersion: v1\nkind: Service\nmetadata: {name: np}\nspec: {type: ExternalName, externalName: x.example.com}\n') >/dev/null
expect_eq "$(k get svc np -o json | jq -c '[.spec.clusterIP, .spec.clusterIPs, .spec.ipFamilies, .spec.type]')" '[null,null,null,"ExternalName"]'
k apply -f <(svc lb 'type: LoadBalancer') >/dev/null
expect_eq "$(k get svc lb -o jsonpath='{.spec.allocateLoadBalancerNodePorts} {.spec.externalTrafficPolicy}')" "true Cluster"
k apply -f <(svc hl 'clusterIP: None') >/dev/null
expect_eq "$(k get svc hl -o jsonpath='{.spec.clusterIP} {.spec.clusterIPs} {.spec.ipFamilyPolicy}')" 'None ["None"] SingleStack'
k apply -f <(printf 'apiVersion: v1\nkind: Service\nmetadata: {name: ext}\nspec: {type: ExternalName, externalName: example.com}\n') >/dev/null
expect_eq "$(k get svc ext -o json | jq -S -c .spec)" '{"externalName":"example.com","sessionAffinity":"None","type":"ExternalName"}'

# other workloads
k apply -f - >/dev/null <<'YAML'
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: c, image: "pg:16"}]}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec: {containers: [{name: c, image: "agent:1"}]}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: tick}
spec:
  schedule: "* * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers: [{name: c, image: "busybox:1"}]
YAML
expect_eq "$(k get sts db -o json | jq -S -c '.spec | del(.template, .selector, .serviceName)')" \
  '{"persistentVolumeClaimRetentionPolicy":{"whenDeleted":"Retain","whenScaled":"Retain"},"podManagementPolicy":"OrderedReady","replicas":1,"revisionHistoryLimit":10,"updateStrategy":{"rollingUpdate":{"partition":0},"type":"RollingUpdate"}}'
expect_eq "$(k get ds agent -o json | jq -S -c '.spec | del(.template, .selector)')" \
  '{"revisionHistoryLimit":10,"updateStrategy":{"rollingUpdate":{"maxSurge":0,"maxUnavailable":1},"type":"RollingUpdate"}}'
expect_eq "$(k get cronjob tick -o json | jq -S -c '.spec | del(.jobTemplate.spec.template, .schedule)')" \
  '{"concurrencyPolicy":"Allow","failedJobsHistoryLimit":1,"jobTemplate":{"metadata":{"creationTimestamp":null},"spec":{"backoffLimit":6,"completionMode":"NonIndexed","completions":1,"parallelism":1,"podReplacementPolicy":"TerminatingOrFailed","suspend":false}},"successfulJobsHistoryLimit":3,"suspend":false}'
expect_eq "$(k get cronjob tick -o jsonpath='{.spec.jobTemplate.spec.template.spec.restartPolicy}')" "OnFailure"
# a Job selects its pods by its uid, labels generated as the server does
cat > job.yaml <<'YAML'
apiVersion: batch/v1
kind: Job
metadata: {name: pi}
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{name: c, image: "perl:5"}]
YAML
k apply -f job.yaml >/dev/null
uid=$(k get job pi -o jsonpath='{.metadata.uid}')
expect_eq "$(k get job pi -o json | jq -S -c '[.metadata.labels, .spec.selector, .spec.template.metadata.labels]')" \
  "[{\"batch.kubernetes.io/controller-uid\":\"$uid\",\"batch.kubernetes.io/job-name\":\"pi\"},{\"matchLabels\":{\"batch.kubernetes.io/controller-uid\":\"$uid\"}},{\"batch.kubernetes.io/controller-uid\":\"$uid\",\"batch.kubernetes.io/job-name\":\"pi\",\"controller-uid\":\"$uid\",\"job-name\":\"pi\"}]"
expect_eq "$(k apply -f job.yaml)" "job.batch/pi unchanged" "re-applying keeps the generated selector"

# a claim: volumeMode defaults to Filesystem, and a new claim is Pending
printf 'apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: claim}\nspec:\n  accessModes: [ReadWriteOnce]\n  resources: {requests: {storage: 1Gi}}\n' >pvc.yaml
k apply --server-side -f pvc.yaml >/dev/null
expect_eq "$(k get pvc claim -o jsonpath='{.spec.volumeMode} {.status.phase}')" "Filesystem Pending" "claim defaults"
rv=$(k get pvc claim -o jsonpath='{.metadata.resourceVersion}')
expect_eq "$(k apply --server-side -f pvc.yaml)" "persistentvolumeclaim/claim serverside-applied" "re-apply of a defaulted claim"
expect_eq "$(k get pvc claim -o jsonpath='{.metadata.resourceVersion}')" "$rv" "the re-apply changed nothing"
stop_server
