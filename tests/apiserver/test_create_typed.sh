# kubectl create's typed generators beyond the basic kinds (job, cronjob, quota,
# ingress, poddisruptionbudget, clusterrole aggregation, token) send protobuf;
# the stored objects carry what the same command prints with --dry-run=client.
start_server
dry() { # output (json, name or -), kubectl args...: the client-side dry run,
  # its flags put before any "--" (what follows is the container's command)
  local oflags=() args=() rest=() seen=""
  [ "$1" == "-" ] || oflags=(-o "$1")
  shift
  for a in "$@"; do
    if [ -n "$seen" ] || [ "$a" == "--" ]; then seen=1; rest+=("$a"); else args+=("$a"); fi
  done
  k "${args[@]}" --dry-run=client "${oflags[@]}" "${rest[@]}"
}
same() { # jq filter, kubectl args...: compare the stored object with the client's
  local what=$1; shift
  local want got
  want=$(dry json "$@" | jq -S "$what")
  expect_eq "$(k "$@") (dry run)" "$(dry - "$@")" "create output: $*"
  got=$(k get "$(dry name "$@")" -o json | jq -S "$what")
  expect_eq "$got" "$want" "stored object of: $*"
}
jp() { k get "$1" -o jsonpath="$2"; }
POD='.spec.template.spec | {restartPolicy, containers: [.containers[] | {name, image, command, args}]}'

# jobs and cronjobs (the server defaults the rest, as a cluster does)
same "$POD" create job j1 --image=busybox -- echo hi
expect_eq "$(jp job/j1 '{.spec.template.spec.restartPolicy} {.spec.template.spec.containers[0].command}')" \
  'Never ["echo","hi"]'
expect_eq "$(jp job/j1 '{.spec.backoffLimit} {.spec.completions}')" "6 1" "job defaults"
same ".spec.schedule, (.spec.jobTemplate | $POD)" \
  create cronjob c1 --image=busybox --schedule='*/5 * * * *' --restart=OnFailure -- date
expect_eq "$(jp cronjob/c1 '{.spec.schedule}|{.spec.jobTemplate.spec.template.spec.containers[0].image}')" \
  '*/5 * * * *|busybox'
expect_eq "$(k create job j2 --from=cronjob/c1)" "job.batch/j2 created"
expect_eq "$(jp job/j2 '{.metadata.annotations.cronjob\.kubernetes\.io/instantiate}')" "manual"
expect_eq "$(jp job/j2 '{.metadata.ownerReferences[0].kind}/{.metadata.ownerReferences[0].name} {.metadata.ownerReferences[0].uid}')" \
  "CronJob/c1 $(jp cronjob/c1 '{.metadata.uid}')" "job owner"
expect_eq "$(jp job/j2 '{.spec.template.spec.containers[0].command}')" '["date"]'

# a job made from a cronjob carries its whole pod template: volumes, mounts,
# env sources and tolerations come through
cat > "$T/cj.yaml" <<'Y'
apiVersion: batch/v1
kind: CronJob
metadata: {name: rich}
spec:
  schedule: "0 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          securityContext: {runAsNonRoot: true, fsGroup: 2000, seccompProfile: {type: RuntimeDefault}}
          tolerations: [{key: k, operator: Exists, effect: NoSchedule, tolerationSeconds: 30}]
          volumes:
          - {name: scratch, emptyDir: {sizeLimit: 1Gi}}
          - {name: cfg, configMap: {name: app-cfg, items: [{key: a, path: a.txt, mode: 256}], optional: true}}
          - {name: sec, secret: {secretName: app-sec}}
          - {name: data, persistentVolumeClaim: {claimName: pvc1, readOnly: true}}
          containers:
          - name: main
            image: busybox
            envFrom: [{prefix: P_, configMapRef: {name: app-cfg}}, {secretRef: {name: app-sec, optional: false}}]
            env:
            - {name: POD, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
            - {name: K, valueFrom: {configMapKeyRef: {name: app-cfg, key: a}}}
            - {name: S, valueFrom: {secretKeyRef: {name: app-sec, key: b, optional: true}}}
            livenessProbe: {httpGet: {path: /healthz, port: http, httpHeaders: [{name: X, value: "z"}]}, periodSeconds: 5}
            readinessProbe: {tcpSocket: {port: 8080}, initialDelaySeconds: 3}
            startupProbe: {exec: {command: ["true"]}, failureThreshold: 30}
            securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}, runAsUser: 1000}
            volumeMounts:
            - {name: scratch, mountPath: /tmp}
            - {name: cfg, mountPath: /etc/cfg, readOnly: true, subPath: a.txt}
Y
k apply -f "$T/cj.yaml" >/dev/null
expect_eq "$(k create job fromrich --from=cronjob/rich)" "job.batch/fromrich created"
expect_eq "$(k get job fromrich -o json | jq -S .spec.template.spec)" \
  "$(k get cronjob rich -o json | jq -S .spec.jobTemplate.spec.template.spec)" "job from a rich cronjob"
expect_eq "$(jp job/fromrich '{.spec.template.spec.volumes[1].configMap.name} {.spec.template.spec.containers[0].env[2].valueFrom.secretKeyRef.optional}')" \
  "app-cfg true"
expect_eq "$(jp job/fromrich '{.spec.template.spec.containers[0].livenessProbe.httpGet.port} {.spec.template.spec.containers[0].readinessProbe.tcpSocket.port} {.spec.template.spec.containers[0].securityContext.capabilities.drop[0]}')" \
  "http 8080 ALL"
# a template field the decoder does not know (a lifecycle hook) is refused, not dropped
k patch cronjob rich --type=json -p '[{"op":"add","path":"/spec/jobTemplate/spec/template/spec/containers/0/lifecycle","value":{"preStop":{"exec":{"command":["true"]}}}}]' >/dev/null
expect_fail k create job fromprobe --from=cronjob/rich
expect_contains "$OUT" "protobuf Job is malformed or has fields this server does not decode"
expect_fail k get job fromprobe

# quota, ingress, poddisruptionbudget
same '.spec' create quota q --hard=pods=2,requests.cpu=1
expect_eq "$(jp quota/q '{.spec.hard.pods} {.spec.hard.requests\.cpu}')" "2 1"
same '.spec' create quota q2 --hard=pods=1 --scopes=BestEffort
same '.spec' create ingress i1 --rule="foo.com/bar=svc1:8080" --class=nginx
expect_eq "$(jp ingress/i1 '{.spec.ingressClassName} {.spec.rules[0].host}{.spec.rules[0].http.paths[0].path} {.spec.rules[0].http.paths[0].pathType} {.spec.rules[0].http.paths[0].backend.service.name}:{.spec.rules[0].http.paths[0].backend.service.port.number}')" \
  "nginx foo.com/bar Exact svc1:8080"
same '.spec, .metadata.annotations' create ingress i2 --rule="foo.com/=svc:https,tls=my-cert" \
  --default-backend=defsvc:http --annotation=a=b
expect_eq "$(jp ingress/i2 '{.spec.tls[0].secretName} {.spec.defaultBackend.service.port.name}')" "my-cert http"
same '.spec' create poddisruptionbudget pdb --selector=app=x --min-available=1
expect_eq "$(jp pdb/pdb '{.spec.minAvailable} {.spec.selector.matchLabels.app}')" "1 x"
same '.spec' create pdb pdb2 --selector=app=y --max-unavailable=50%
expect_eq "$(k get pdb pdb2 -o json | jq -c .spec.maxUnavailable)" '"50%"' "an IntOrString string"

# cluster roles and bindings, aggregation included
same '.rules' create clusterrole cr1 --verb=get --resource=pods --non-resource-url=/healthz
same '.aggregationRule' create clusterrole agg --aggregation-rule="rbac.example.com/aggregate=true"
same '.roleRef, .subjects' create clusterrolebinding crb1 --clusterrole=cr1 --user=u --serviceaccount=default:sa1

# kubectl create token prints just the token: a JWT naming the service account
k create serviceaccount sa1 >/dev/null
tok=$(k create token sa1)
expect_eq "$(tr -cd . <<<"$tok")" ".." "JWT segments"
claims() { local p; p=$(cut -d. -f2 <<<"$1" | tr '_-' '/+'); while [ $(( ${#p} % 4 )) -ne 0 ]; do p="$p="; done; base64 -d <<<"$p"; }
expect_eq "$(claims "$tok" | jq -r '.sub, .aud[0], .["kubernetes.io"].serviceaccount.name, (.exp - .iat)')" \
  "system:serviceaccount:default:sa1
https://kubernetes.default.svc.cluster.local
sa1
3600"
expect_eq "$(printf %s "${tok%.*}" | openssl dgst -sha256 -mac HMAC -macopt "key:$(cat "$T/data/token")" -binary |
  base64 -w0 | tr '+/' '-_' | tr -d =)" "${tok##*.}" "HS256 signature keyed by the admin token"
expect_eq "$(claims "$(k create token sa1 --duration=2h --audience=vault)" | jq -r '.aud[0], (.exp - .iat)')" \
  "vault
7200"
tr=$(k create token sa1 --duration=20m -o json)
expect_eq "$(jq -r '.kind, .spec.expirationSeconds, (.status.token | length > 0)' <<<"$tr")" "TokenRequest
1200
true"
expect_eq "$(( $(date -d "$(jq -r .status.expirationTimestamp <<<"$tr")" +%s) - $(date +%s) > 1100 ))" "1" "expiry"
expect_fail k create token sa1 --duration=5m
expect_contains "$OUT" 'TokenRequest.authentication.k8s.io "sa1" is invalid: spec.expirationSeconds: Invalid value: 300: may not specify a duration less than 10 minutes'
expect_fail k create token nosuch
expect_contains "$OUT" 'serviceaccounts "nosuch" not found'
expect_eq "$(raw GET /api/v1/namespaces/default/serviceaccounts/sa1/token -o /dev/null -w '%{http_code}')" "405"
out=$(raw POST /api/v1/namespaces/default/serviceaccounts/sa1/token -H 'Content-Type: application/json' \
  -d '{"apiVersion":"v1","kind":"ConfigMap"}' -w ' %{http_code}')
expect_eq "$(jq -r .message <<<"${out% *}") ${out##* }" \
  "the body of a token request must be an authentication.k8s.io/v1 TokenRequest, not v1 ConfigMap 400"
out=$(raw POST /api/v1/namespaces/default/serviceaccounts/sa1/token -H 'Content-Type: application/json' \
  -d '{"apiVersion":"authentication.k8s.io/v1","kind":"TokenRequest","spec":{"audiences":["x","y"]}}')
expect_eq "$(jq -c '[.metadata.name, .metadata.namespace, .spec.audiences, .spec.expirationSeconds]' <<<"$out")" \
  '["sa1","default",["x","y"],3600]' "a JSON token request"
# tokens are never stored: the service accounts are all that exist
expect_eq "$(k get sa -o name)" "serviceaccount/sa1"

# protobuf bodies: a kind without a table, and a field a strict table lacks,
# are refused with 415 rather than stored wrongly
hex() { printf %s "$1" | od -An -tx1 | tr -d ' \n'; }
pb() { # apiVersion kind rawhex: a runtime.Unknown envelope as a file
  local av=$1 kind=$2 raw=$3 tm all
  tm=$(printf '0a%02x%s12%02x%s' ${#av} "$(hex "$av")" ${#kind} "$(hex "$kind")")
  all=$(printf '6b3873000a%02x%s12%02x%s' $(( ${#tm} / 2 )) "$tm" $(( ${#raw} / 2 )) "$raw")
  # shellcheck disable=SC2001 # every two hex digits become one \xHH escape
  printf %b "$(sed 's/../\\x&/g' <<<"$all")" > "$T/body.pb"
}
post_pb() { raw POST "$1" -H 'Content-Type: application/vnd.kubernetes.protobuf' --data-binary @"$T/body.pb" -w ' %{http_code}'; }
pb v1 LimitRange 0a030a016c
out=$(post_pb /api/v1/namespaces/default/limitranges)
expect_eq "$(jq -r .message <<<"${out% *}") ${out##* }" \
  "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml (protobuf is not supported for v1 LimitRange; send application/json) 415"
# Job{metadata{name x} spec{podFailurePolicy(11){rules[{}]}}}
pb batch/v1 Job 0a030a017812045a020a00
out=$(post_pb /apis/batch/v1/namespaces/default/jobs)
expect_eq "${out##* }" "415" "unknown Job field"
expect_contains "$out" "protobuf Job is malformed or has fields this server does not decode; send application/json"
expect_fail k get job x
# the same envelope with a known field is accepted (the crafting is right)
pb batch/v1 Job 0a030a0178120408011001
out=$(post_pb /apis/batch/v1/namespaces/default/jobs)
expect_eq "${out##* }" "201" "crafted Job"
expect_eq "$(jp job/x '{.spec.parallelism} {.spec.completions}')" "1 1"
stop_server
