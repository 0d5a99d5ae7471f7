# The whole of config/ on a real gotk-apiserver: everything applies with
# server-side apply, every CRD becomes Established, the Deployments carry what
# a controller needs, and objects in users' shapes are served through every
# version with Flux's names, categories and print columns.
S="${GOTK_TESTS_DIR:?}/config/samples"
start_server
kb "$C" > all.yaml

out=$(k apply --server-side -f all.yaml)
expect_eq "$(grep -c ' serverside-applied$' <<<"$out")" 38 "objects applied"
out=$(k wait --for=condition=Established crd --all --timeout=20s)
expect_eq "$(grep -c ' condition met$' <<<"$out")" 13 "CRDs established"

# Names, short names, versions and scope as Flux serves them.
expect_eq "$(k api-resources --api-group=source.toolkit.fluxcd.io --no-headers | tr -s ' ')" \
"buckets source.toolkit.fluxcd.io/v1 true Bucket
gitrepositories gitrepo source.toolkit.fluxcd.io/v1 true GitRepository
helmcharts hc source.toolkit.fluxcd.io/v1 true HelmChart
helmrepositories helmrepo source.toolkit.fluxcd.io/v1 true HelmRepository
ocirepositories ocirepo source.toolkit.fluxcd.io/v1 true OCIRepository" "source API resources"
expect_eq "$(k api-resources --api-group=kustomize.toolkit.fluxcd.io --no-headers | tr -s ' ')" \
  "kustomizations ks kustomize.toolkit.fluxcd.io/v1 true Kustomization"
expect_eq "$(k api-resources --api-group=helm.toolkit.fluxcd.io --no-headers | tr -s ' ')" \
  "helmreleases hr helm.toolkit.fluxcd.io/v2 true HelmRelease"
expect_eq "$(k api-resources --api-group=image.toolkit.fluxcd.io --no-headers | tr -s ' ')" \
"imagepolicies imgpol,imagepol image.toolkit.fluxcd.io/v1 true ImagePolicy
imagerepositories imgrepo,imagerepo image.toolkit.fluxcd.io/v1 true ImageRepository
imageupdateautomations iua,imgupd,imgauto image.toolkit.fluxcd.io/v1 true ImageUpdateAutomation"
expect_eq "$(k api-resources --api-group=notification.toolkit.fluxcd.io --no-headers | tr -s ' ')" \
"alerts notification.toolkit.fluxcd.io/v1beta3 true Alert
providers notification.toolkit.fluxcd.io/v1beta3 true Provider
receivers notification.toolkit.fluxcd.io/v1 true Receiver"

# versions: served ones in order, the storage one, and conversion None
versions() {
  k get crd "$1" -o jsonpath='{range .spec.versions[*]}{.name}{.storage}{" "}{end}{.spec.conversion.strategy}'
}
expect_eq "$(versions helmrepositories.source.toolkit.fluxcd.io)" "v1true v1beta2false None"
expect_eq "$(versions helmcharts.source.toolkit.fluxcd.io)" "v1true v1beta2false None"
expect_eq "$(versions ocirepositories.source.toolkit.fluxcd.io)" "v1true v1beta2false None"
expect_eq "$(versions buckets.source.toolkit.fluxcd.io)" "v1true v1beta2false None"
expect_eq "$(versions kustomizations.kustomize.toolkit.fluxcd.io)" "v1true v1beta2false None"
expect_eq "$(versions helmreleases.helm.toolkit.fluxcd.io)" "v2true v2beta1false v2beta2false None"
expect_eq "$(versions imagerepositories.image.toolkit.fluxcd.io)" "v1true v1beta2false None"
expect_eq "$(versions imagepolicies.image.toolkit.fluxcd.io)" "v1true v1beta2false None"
expect_eq "$(versions imageupdateautomations.image.toolkit.fluxcd.io)" "v1true v1beta2false None"
expect_eq "$(versions alerts.notification.toolkit.fluxcd.io)" "v1beta3true v1beta2false None"
expect_eq "$(versions providers.notification.toolkit.fluxcd.io)" "v1beta3true v1beta2false None"
expect_eq "$(versions receivers.notification.toolkit.fluxcd.io)" "v1true v1beta2false None"
expect_eq "$(k get crd helmreleases.helm.toolkit.fluxcd.io -o jsonpath='{.status.storedVersions}')" '["v2"]'
expect_eq "$(k get crd -o jsonpath='{range .items[*]}{.spec.names.categories}{"\n"}{end}' | grep -vc '"all","fluxcd"')" 0 \
  "CRDs outside the all and fluxcd categories"

# Flux's labels, per component
count() { k get "$@" -o name | wc -l; }
for c in source-controller:5 kustomize-controller:1 helm-controller:1 notification-controller:3 \
         image-reflector-controller:2 image-automation-controller:1; do
  expect_eq "$(count crd -l "app.kubernetes.io/component=${c%%:*}")" "${c#*:}" "CRDs of ${c%%:*}"
done
sel=app.kubernetes.io/instance=flux-system,app.kubernetes.io/part-of=flux,app.kubernetes.io/version=v0.1.0
expect_eq "$(count crd -l $sel)" 13 "labelled CRDs"
expect_eq "$(count deploy,sa,svc,networkpolicy,resourcequota -n flux-system -l $sel)" 19 "labelled namespaced objects"
expect_eq "$(count clusterrole,clusterrolebinding -l $sel)" 5 "labelled cluster RBAC"
expect_eq "$(count namespace -l $sel,pod-security.kubernetes.io/warn=restricted)" 1 "labelled namespace"
expect_eq "$(count deploy -n flux-system -l $sel,control-plane=controller)" 6 "controller Deployments"

# Every Deployment: its own ServiceAccount and image, template labels, health
# probes on /healthz and /readyz, metrics and health ports, real requests and
# limits, Flux's restricted security context and RUNTIME_NAMESPACE.
for d in source-controller kustomize-controller helm-controller notification-controller \
         image-reflector-controller image-automation-controller; do
  jp() { k get deploy -n flux-system "$d" -o jsonpath="$1"; }
  c='.spec.template.spec.containers[0]'
  expect_eq "$(jp '{.spec.template.spec.serviceAccountName} {.spec.selector.matchLabels.app}')" "$d $d" "$d account and selector"
  expect_eq "$(jp '{.spec.template.metadata.labels.app} {.spec.template.metadata.labels.app\.kubernetes\.io/component}')" "$d $d" "$d template labels"
  expect_eq "$(jp "{$c.image}")" "ghcr.io/gotk/$d:v0.1.0" "$d image"
  expect_eq "$(jp "{$c.livenessProbe.httpGet.path} {$c.livenessProbe.httpGet.port} {$c.readinessProbe.httpGet.path} {$c.readinessProbe.httpGet.port}")" \
    "/healthz healthz /readyz healthz" "$d probes"
  expect_contains "$(jp "{range $c.ports[*]}{.name}={.containerPort} {end}")" "http-prom=8080 healthz=9440" "$d ports"
  res=$(jp "{$c.resources.requests.cpu} {$c.resources.requests.memory} {$c.resources.limits.cpu} {$c.resources.limits.memory}")
  [[ "$res" =~ ^[0-9]+m\ [0-9]+Mi\ [0-9]+m\ [0-9]+Mi$ ]] || fail "$d resources: [$res]"
  expect_eq "$(jp "{$c.securityContext.runAsNonRoot} {$c.securityContext.readOnlyRootFilesystem} {$c.securityContext.allowPrivilegeEscalation} {$c.securityContext.capabilities.drop} {$c.securityContext.seccompProfile.type}")" \
    'true true false ["ALL"] RuntimeDefault' "$d security context"
  expect_eq "$(jp "{$c.env[?(@.name==\"RUNTIME_NAMESPACE\")].valueFrom.fieldRef.fieldPath}")" "metadata.namespace" "$d RUNTIME_NAMESPACE"
  args=$(jp "{range $c.args[*]}{@} {end}")
  expect_contains "$args" "--watch-all-namespaces --log-level=info --log-encoding=json --enable-leader-election" "$d args"
  if [ "$d" != notification-controller ]; then
    expect_contains "$args" "--events-addr=http://notification-controller.\$(RUNTIME_NAMESPACE).svc.cluster.local./" "$d events address"
  fi
done
c='.spec.template.spec.containers[0]'
expect_eq "$(k get deploy -n flux-system source-controller -o jsonpath="{range $c.args[*]}{@}{\"\n\"}{end}")" \
"--events-addr=http://notification-controller.\$(RUNTIME_NAMESPACE).svc.cluster.local./
--watch-all-namespaces
--log-level=info
--log-encoding=json
--enable-leader-election
--storage-path=/data
--storage-adv-addr=source-controller.\$(RUNTIME_NAMESPACE).svc.cluster.local." "source-controller args"
expect_eq "$(k get deploy -n flux-system source-controller -o jsonpath="{$c.ports[0].name}={$c.ports[0].containerPort} {$c.volumeMounts[0].mountPath} {.spec.strategy.type}")" \
  "http=9090 /data Recreate"
expect_eq "$(k get deploy -n flux-system source-controller -o jsonpath="{$c.resources}")" \
  '{"limits":{"cpu":"1000m","memory":"256Mi"},"requests":{"cpu":"50m","memory":"32Mi"}}'
expect_eq "$(k get deploy -n flux-system kustomize-controller -o jsonpath="{$c.resources}")" \
  '{"limits":{"cpu":"500m","memory":"128Mi"},"requests":{"cpu":"50m","memory":"16Mi"}}'

# Services: artifacts on source-controller:80, events and webhooks on
# notification-controller's.
svc() { k get svc -n flux-system "$1" -o jsonpath='{.spec.selector.app} {.spec.ports[0].port}->{.spec.ports[0].targetPort}'; }
expect_eq "$(svc source-controller)" "source-controller 80->http"
expect_eq "$(svc notification-controller)" "notification-controller 80->http"
expect_eq "$(svc webhook-receiver)" "notification-controller 80->http-webhook"
expect_eq "$(k get networkpolicy -n flux-system allow-webhooks -o jsonpath='{.spec.podSelector.matchLabels.app} {.spec.ingress[0].ports[0].port}')" \
  "notification-controller 9292"
expect_eq "$(k get clusterrolebinding cluster-reconciler -o jsonpath='{.roleRef.name} {.subjects[*].name}')" \
  "cluster-admin kustomize-controller helm-controller"
expect_eq "$(k get clusterrolebinding crd-controller -o jsonpath='{.subjects[*].name}')" \
  "source-controller kustomize-controller helm-controller notification-controller image-reflector-controller image-automation-controller"

# Objects in users' shapes apply, through every version they are written in.
expect_eq "$(k apply -f "$S/gotk-sync.yaml")" \
"gitrepository.source.toolkit.fluxcd.io/flux-system created
kustomization.kustomize.toolkit.fluxcd.io/flux-system created"
expect_eq "$(k apply -f "$S/helm.yaml")" \
"helmrepository.source.toolkit.fluxcd.io/podinfo created
helmrelease.helm.toolkit.fluxcd.io/podinfo created"
expect_eq "$(k apply -f "$S/images.yaml")" \
"imagerepository.image.toolkit.fluxcd.io/minio created
imagepolicy.image.toolkit.fluxcd.io/minio created
imagepolicy.image.toolkit.fluxcd.io/build-number created
imageupdateautomation.image.toolkit.fluxcd.io/fleet created"
expect_eq "$(k apply -f "$S/notification.yaml")" \
"provider.notification.toolkit.fluxcd.io/slack created
alert.notification.toolkit.fluxcd.io/on-call created
receiver.notification.toolkit.fluxcd.io/github created"

# the v2beta1 release reads back the same through v2 and v2beta1 (conversion None)
expect_eq "$(k get hr -n default podinfo -o jsonpath='{.apiVersion} {.spec.chart.spec.sourceRef.name} {.spec.values.replicaCount}')" \
  "helm.toolkit.fluxcd.io/v2 podinfo 2"
expect_eq "$(k get helmreleases.v2beta1.helm.toolkit.fluxcd.io -n default podinfo -o jsonpath='{.apiVersion} {.spec.install.remediation.retries}')" \
  "helm.toolkit.fluxcd.io/v2beta1 3"
expect_eq "$(k get imgpol -n flux-system minio -o jsonpath='{.spec.filterTags.pattern} {.spec.filterTags.extract}')" \
  '^RELEASE\.(?P<timestamp>.*)Z$ $timestamp'
expect_eq "$(k get helmrepositories.v1beta2.source.toolkit.fluxcd.io -n flux-system podinfo -o jsonpath='{.spec.url}')" \
  "https://stefanprodan.github.io/podinfo"

# print columns: Ready and Status from the Ready condition, plus the kind's own
k patch ks -n flux-system flux-system --subresource=status --type=merge -p \
  '{"status":{"conditions":[{"type":"Ready","status":"True","reason":"ReconciliationSucceeded","message":"Applied revision: main@sha1:0123456789abcdef0123456789abcdef01234567","lastTransitionTime":"2026-01-01T00:00:00Z"}]}}' >/dev/null
expect_eq "$(k get ks -n flux-system | tr -s ' ' | sed 's/ [0-9]*[smhd] / AGE /')" \
"NAME AGE READY STATUS
flux-system AGE True Applied revision: main@sha1:0123456789abcdef0123456789abcdef01234567"
k patch imagepolicy -n flux-system minio --subresource=status --type=merge -p \
  '{"status":{"latestRef":{"name":"quay.io/minio/minio","tag":"RELEASE.2024-01-01T00-00-00Z"}}}' >/dev/null
expect_eq "$(k get imgpol -n flux-system minio --no-headers | awk '{print $1, $2, $3}')" \
  "minio quay.io/minio/minio RELEASE.2024-01-01T00-00-00Z"
expect_eq "$(k get helmrepo -n flux-system --no-headers | awk '{print $1, $2}')" \
  "podinfo https://stefanprodan.github.io/podinfo"
expect_eq "$(k get hr -A | head -1 | tr -s ' ')" "NAMESPACE NAME AGE READY STATUS"

# the fluxcd category lists every toolkit object
expect_eq "$(k get fluxcd -A -o name | sort)" \
"alert.notification.toolkit.fluxcd.io/on-call
gitrepository.source.toolkit.fluxcd.io/flux-system
helmrelease.helm.toolkit.fluxcd.io/podinfo
helmrepository.source.toolkit.fluxcd.io/podinfo
imagepolicy.image.toolkit.fluxcd.io/build-number
imagepolicy.image.toolkit.fluxcd.io/minio
imagerepository.image.toolkit.fluxcd.io/minio
imageupdateautomation.image.toolkit.fluxcd.io/fleet
kustomization.kustomize.toolkit.fluxcd.io/flux-system
provider.notification.toolkit.fluxcd.io/slack
receiver.notification.toolkit.fluxcd.io/github"

# uninstall: deleting the build removes the CRDs and, with them, the objects
k delete -f all.yaml --ignore-not-found --wait=false >/dev/null
expect_eq "$(k get crd -o name)" "" "CRDs left after delete"
expect_fail k get ks -A
stop_server
