# `kubectl get` on built-in kinds prints the columns Kubernetes v1.32's printers
# give them (pkg/printers/internalversion), default and -o wide; status-derived
# cells show what an empty status gives (this server runs no controllers).
start_server
cat > objs.yaml <<'YAML'
apiVersion: batch/v1
kind: Job
metadata: {name: pi}
spec:
  parallelism: 3
  template:
    metadata: {labels: {app: pi}}
    spec:
      restartPolicy: Never
      containers:
      - {name: pi, image: perl:5.34}
      - {name: side, image: busybox}
---
apiVersion: batch/v1
kind: Job
metadata: {name: batch}
spec:
  completions: 5
  template:
    spec:
      restartPolicy: Never
      containers:
      - {name: work, image: work:2}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly}
spec:
  schedule: "0 2 * * *"
  suspend: true
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - {name: backup, image: backup:1}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: hello}
spec:
  schedule: "*/5 * * * *"
  timeZone: Etc/UTC
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - {name: hello, image: busybox:1.36}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  replicas: 2
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers:
      - {name: pg, image: postgres:16}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector:
    matchLabels: {app: agent}
    matchExpressions:
    - {key: tier, operator: In, values: [node, edge]}
    - {key: canary, operator: DoesNotExist}
  template:
    metadata: {labels: {app: agent, tier: node}}
    spec:
      nodeSelector: {kubernetes.io/os: linux, disk: ssd}
      containers:
      - {name: agent, image: agent:1}
---
apiVersion: apps/v1
kind: ReplicaSet
metadata: {name: front}
spec:
  replicas: 3
  selector: {matchLabels: {app: front, tier: web}}
  template:
    metadata: {labels: {app: front, tier: web}}
    spec:
      containers:
      - {name: nginx, image: nginx:1.27}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - {name: nginx, image: nginx:1.27}
      - {name: log, image: fluent-bit:3}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: site}
spec:
  ingressClassName: nginx
  tls:
  - hosts: [a.example.com]
  rules:
  - host: a.example.com
  - host: b.example.com
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: many}
spec:
  rules:
  - host: h1.example.com
  - host: h2.example.com
  - host: h3.example.com
  - host: h4.example.com
  - host: h5.example.com
  - http:
      paths:
      - path: /
        pathType: Prefix
        backend: {service: {name: web, port: {number: 80}}}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: catchall}
spec:
  defaultBackend: {service: {name: web, port: {number: 80}}}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data}
spec:
  accessModes: [ReadWriteOnce]
  storageClassName: fast
  volumeMode: Filesystem
  resources: {requests: {storage: 1Gi}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny}
spec:
  podSelector:
    matchExpressions:
    - {key: role, operator: NotIn, values: [db, cache]}
    - {key: app, operator: Exists}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: all}
spec:
  podSelector: {}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: bot}
secrets:
- name: bot-token
---
apiVersion: v1
kind: Endpoints
metadata: {name: web}
subsets:
- addresses: [{ip: 10.0.0.1}, {ip: 10.0.0.2}]
  ports: [{port: 80, name: http}, {port: 443, name: https}]
- addresses: [{ip: "fd00::1"}]
  ports: [{port: 8080}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: reader}
rules:
- {apiGroups: [""], resources: [pods], verbs: [get]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: read}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}
subjects:
- {kind: User, name: alice, apiGroup: rbac.authorization.k8s.io}
- {kind: Group, name: devs, apiGroup: rbac.authorization.k8s.io}
- {kind: User, name: bob, apiGroup: rbac.authorization.k8s.io}
- {kind: ServiceAccount, name: bot, namespace: default}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: viewer}
rules:
- {apiGroups: [""], resources: [pods], verbs: [list]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: view}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: viewer}
subjects:
- {kind: Group, name: ops, apiGroup: rbac.authorization.k8s.io}
---
apiVersion: scheduling.k8s.io/v1
kind: PriorityClass
metadata: {name: high}
value: 100000
globalDefault: false
preemptionPolicy: Never
description: important
---
apiVersion: coordination.k8s.io/v1
kind: Lease
metadata: {name: leader}
spec:
  holderIdentity: node-1
  leaseDurationSeconds: 15
---
apiVersion: v1
kind: ResourceQuota
metadata: {name: quota}
spec:
  hard: {requests.cpu: "1", limits.memory: 1Gi, pods: "10"}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web-pdb}
spec:
  minAvailable: 1
  selector: {matchLabels: {app: web}}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: db-pdb}
spec:
  maxUnavailable: 25%
  selector: {matchLabels: {app: db}}
---
apiVersion: v1
kind: LimitRange
metadata: {name: limits}
spec:
  limits:
  - type: Container
    default: {cpu: 500m}
YAML
k apply -f objs.yaml >/dev/null

# Ages, creation times and the generated Job selector vary: normalize them, and
# squeeze kubectl's column padding.
norm() {
  sed -E 's/ [0-9]+[smhdy]([0-9]+[smh])? / AGE /g; s/ [0-9]+[smhdy]([0-9]+[smh])?$/ AGE/;
          s/20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z/TIME/g; s/controller-uid=[0-9a-f-]{36}/controller-uid=UID/g;
          s/ +/ /g; s/ $//'
}
# expect_table KIND EXPECTED-DEFAULT EXPECTED-WIDE
expect_table() {
  expect_eq "$(k get "$1" | norm)" "$2" "kubectl get $1"
  expect_eq "$(k get "$1" -o wide | norm)" "$3" "kubectl get $1 -o wide"
}
expect_table job 'NAME STATUS COMPLETIONS DURATION AGE
batch Running 0/5 AGE
pi Running 0/1 of 3 AGE' \
  'NAME STATUS COMPLETIONS DURATION AGE CONTAINERS IMAGES SELECTOR
batch Running 0/5 AGE work work:2 batch.kubernetes.io/controller-uid=UID
pi Running 0/1 of 3 AGE pi,side perl:5.34,busybox batch.kubernetes.io/controller-uid=UID'
expect_table cronjob 'NAME SCHEDULE TIMEZONE SUSPEND ACTIVE LAST SCHEDULE AGE
hello */5 * * * * Etc/UTC false 0 <none> AGE
nightly 0 2 * * * <none> true 0 <none> AGE' \
  'NAME SCHEDULE TIMEZONE SUSPEND ACTIVE LAST SCHEDULE AGE CONTAINERS IMAGES SELECTOR
hello */5 * * * * Etc/UTC false 0 <none> AGE hello busybox:1.36 <none>
nightly 0 2 * * * <none> true 0 <none> AGE backup backup:1 <none>'
expect_table statefulset 'NAME READY AGE
db 0/2 AGE' \
  'NAME READY AGE CONTAINERS IMAGES
db 0/2 AGE pg postgres:16'
expect_table daemonset 'NAME DESIRED CURRENT READY UP-TO-DATE AVAILABLE NODE SELECTOR AGE
agent 0 0 0 0 0 disk=ssd,kubernetes.io/os=linux AGE' \
  'NAME DESIRED CURRENT READY UP-TO-DATE AVAILABLE NODE SELECTOR AGE CONTAINERS IMAGES SELECTOR
agent 0 0 0 0 0 disk=ssd,kubernetes.io/os=linux AGE agent agent:1 app=agent,!canary,tier in (edge,node)'
expect_table replicaset 'NAME DESIRED CURRENT READY AGE
front 3 0 0 AGE' \
  'NAME DESIRED CURRENT READY AGE CONTAINERS IMAGES SELECTOR
front 3 0 0 AGE nginx nginx:1.27 app=front,tier=web'
expect_table deployment 'NAME READY UP-TO-DATE AVAILABLE AGE
web 0/2 0 0 AGE' \
  'NAME READY UP-TO-DATE AVAILABLE AGE CONTAINERS IMAGES SELECTOR
web 0/2 0 0 AGE nginx,log nginx:1.27,fluent-bit:3 app=web'
expect_table ingress 'NAME CLASS HOSTS ADDRESS PORTS AGE
catchall <none> * 80 AGE
many <none> h1.example.com,h2.example.com,h3.example.com + 3 more... 80 AGE
site nginx a.example.com,b.example.com 80, 443 AGE' \
  'NAME CLASS HOSTS ADDRESS PORTS AGE
catchall <none> * 80 AGE
many <none> h1.example.com,h2.example.com,h3.example.com + 3 more... 80 AGE
site nginx a.example.com,b.example.com 80, 443 AGE'
expect_table pvc 'NAME STATUS VOLUME CAPACITY ACCESS MODES STORAGECLASS VOLUMEATTRIBUTESCLASS AGE
data Pending fast <unset> AGE' \
  'NAME STATUS VOLUME CAPACITY ACCESS MODES STORAGECLASS VOLUMEATTRIBUTESCLASS AGE VOLUMEMODE
data Pending fast <unset> AGE Filesystem'
expect_table networkpolicy 'NAME POD-SELECTOR AGE
all <none> AGE
deny app,role notin (cache,db) AGE' \
  'NAME POD-SELECTOR AGE
all <none> AGE
deny app,role notin (cache,db) AGE'
expect_table serviceaccount 'NAME SECRETS AGE
bot 1 AGE' \
  'NAME SECRETS AGE
bot 1 AGE'
expect_table endpoints 'NAME ENDPOINTS AGE
web 10.0.0.1:80,10.0.0.2:80,10.0.0.1:443 + 2 more... AGE' \
  'NAME ENDPOINTS AGE
web 10.0.0.1:80,10.0.0.2:80,10.0.0.1:443 + 2 more... AGE'
expect_table role 'NAME CREATED AT
reader TIME' \
  'NAME CREATED AT
reader TIME'
expect_table rolebinding 'NAME ROLE AGE
read Role/reader AGE' \
  'NAME ROLE AGE USERS GROUPS SERVICEACCOUNTS
read Role/reader AGE alice, bob devs default/bot'
expect_table clusterrole 'NAME CREATED AT
viewer TIME' \
  'NAME CREATED AT
viewer TIME'
expect_table clusterrolebinding 'NAME ROLE AGE
view ClusterRole/viewer AGE' \
  'NAME ROLE AGE USERS GROUPS SERVICEACCOUNTS
view ClusterRole/viewer AGE ops'
expect_table priorityclass 'NAME VALUE GLOBAL-DEFAULT AGE PREEMPTIONPOLICY
high 100000 false AGE Never' \
  'NAME VALUE GLOBAL-DEFAULT AGE PREEMPTIONPOLICY
high 100000 false AGE Never'
expect_table lease 'NAME HOLDER AGE
leader node-1 AGE' \
  'NAME HOLDER AGE
leader node-1 AGE'
expect_table resourcequota 'NAME AGE REQUEST LIMIT
quota AGE' \
  'NAME AGE REQUEST LIMIT
quota AGE'
expect_table pdb 'NAME MIN AVAILABLE MAX UNAVAILABLE ALLOWED DISRUPTIONS AGE
db-pdb N/A 25% 0 AGE
web-pdb 1 N/A 0 AGE' \
  'NAME MIN AVAILABLE MAX UNAVAILABLE ALLOWED DISRUPTIONS AGE
db-pdb N/A 25% 0 AGE
web-pdb 1 N/A 0 AGE'
expect_table limitrange 'NAME CREATED AT
limits TIME' \
  'NAME CREATED AT
limits TIME'

# Status-derived cells once a status is written (as controllers would).
k patch job batch --subresource=status --type=merge -p '{"status":{"succeeded":5,
  "startTime":"2025-01-01T00:00:00Z","completionTime":"2025-01-01T00:02:05Z",
  "conditions":[{"type":"Complete","status":"True"}]}}' >/dev/null
k patch job pi --subresource=status --type=merge -p '{"status":{"succeeded":1,
  "startTime":"2025-01-01T00:00:00Z","conditions":[{"type":"Failed","status":"True"}]}}' >/dev/null
expect_eq "$(k get job batch --no-headers | sed -E 's/ +/ /g' | cut -d' ' -f1-4)" "batch Complete 5/5 2m5s" \
  "completed job"
expect_contains "$(k get job pi --no-headers | norm)" "pi Failed 1/1 of 3 " "failed job (running duration)"
k patch resourcequota quota --subresource=status --type=merge -p '{"status":{
  "hard":{"requests.cpu":"1","limits.memory":"1Gi","pods":"10"},"used":{"requests.cpu":"500m"}}}' >/dev/null
expect_eq "$(k get quota --no-headers | norm)" \
  "quota AGE pods: 0/10, requests.cpu: 500m/1 limits.memory: 0/1Gi" "quota request/limit"
k patch pvc data --subresource=status --type=merge -p '{"status":{"phase":"Bound",
  "accessModes":["ReadWriteMany","ReadWriteOnce"],"capacity":{"storage":"2Gi"}}}' >/dev/null
expect_eq "$(k get pvc --no-headers | norm)" "data Bound fast <unset> AGE" "unbound claim hides capacity"
k patch pvc data --type=merge -p '{"spec":{"volumeName":"pv-1"}}' >/dev/null
expect_eq "$(k get pvc --no-headers | norm)" "data Bound pv-1 2Gi RWO,RWX fast <unset> AGE" "bound claim"
k patch deploy web --subresource=status --type=merge -p '{"status":{"readyReplicas":1,
  "updatedReplicas":2,"availableReplicas":1}}' >/dev/null
expect_eq "$(k get deploy web --no-headers | norm)" "web 1/2 2 1 AGE" "deployment status"
k patch ingress site --subresource=status --type=merge -p '{"status":{"loadBalancer":{"ingress":[
  {"ip":"10.9.0.2"},{"hostname":"lb.example.com"},{"ip":"10.9.0.1","hostname":"x.example.com"},{"ip":"10.9.0.2"}]}}}' >/dev/null
expect_eq "$(k get ingress site --no-headers | norm)" \
  "site nginx a.example.com,b.example.com 10.9.0.1,10.9.0.2,lb.example.com 80, 443 AGE" "ingress address"
cat > ep.yaml <<'YAML'
apiVersion: v1
kind: Endpoints
metadata: {name: idle}
subsets:
- notReadyAddresses: [{ip: 10.0.0.9}]
  ports: [{port: 80}]
YAML
k apply -f ep.yaml >/dev/null
expect_eq "$(k get endpoints idle --no-headers | norm)" "idle AGE" "endpoints without ready addresses"
k patch cronjob hello --subresource=status --type=merge -p '{"status":{
  "lastScheduleTime":"2025-01-01T00:00:00Z","active":[{"kind":"Job","name":"hello-1"}]}}' >/dev/null
expect_eq "$(k get cronjob hello --no-headers | sed -E 's/ +/ /g' | cut -d' ' -f1-9)" \
  "hello */5 * * * * Etc/UTC false 1" "cronjob active"
[[ "$(k get cronjob hello --no-headers)" =~ \ [0-9]+d[0-9]*h?\ + ]] || fail "cronjob last schedule age"
stop_server
