# The CRDs' structural schemas at work on gotk-apiserver: the defaults Flux's
# schemas declare are filled in, and bad values are refused with the field
# named, as a real API server does. Skipped (77) while the server applies
# neither defaults nor validation; once it does either, every check applies.
S="${GOTK_TESTS_DIR:?}/config/samples"
start_server
k apply --server-side -f "$C/crd/bases" >/dev/null
k wait --for=condition=Established crd --all --timeout=20s >/dev/null
k create namespace flux-system >/dev/null
k apply -f "$S/gotk-sync.yaml" -f "$S/helm.yaml" -f "$S/images.yaml" -f "$S/notification.yaml" >/dev/null

bad_ks() { # FIELD VALUE: a Kustomization with one field set to VALUE
  cat <<YAML
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: bad, namespace: flux-system}
spec:
  interval: 10m
  prune: true
  sourceRef: {kind: GitRepository, name: flux-system}
  $1: $2
YAML
}
ks=$(k get ks -n flux-system flux-system -o jsonpath='{.spec.force}')
if [ -z "$ks" ] && bad_ks interval '"10 minutes"' | k apply --dry-run=server -f - >/dev/null 2>&1; then
  echo "SKIP: gotk-apiserver applies no schema defaults and no validation to custom resources"
  stop_server
  exit 77
fi

# Defaults, through the version each object was written in.
# (Flux's schemas also default status to {observedGeneration: -1}; a real API
# server shows that on read, gotk-apiserver defaults only request bodies, and
# create drops status, so status is not checked here.)
expect_eq "$(k get ks -n flux-system flux-system -o jsonpath='{.spec.force}')" "false" "Kustomization defaults"
expect_eq "$(k get helmreleases.v2beta1.helm.toolkit.fluxcd.io -n default podinfo \
  -o jsonpath='{.spec.chart.spec.version} {.spec.chart.spec.reconcileStrategy}')" \
  "* ChartVersion" "HelmRelease v2beta1 defaults"
expect_eq "$(k get helmrepo -n flux-system podinfo -o jsonpath='{.spec.provider}')" "generic" "HelmRepository defaults"
expect_eq "$(k get imgrepo -n flux-system minio -o jsonpath='{.spec.provider} {.spec.exclusionList}')" \
  'generic ["^.*\\.sig$"]' "ImageRepository defaults"
expect_eq "$(k get imgpol -n flux-system minio -o jsonpath='{.spec.digestReflectionPolicy} {.spec.policy.alphabetical.order}')" \
  "Never asc" "ImagePolicy defaults"
expect_eq "$(k get imgpol -n flux-system build-number -o jsonpath='{.spec.policy.numerical.order}')" "asc" \
  "ImagePolicy numerical order default"
expect_eq "$(k get imageupdateautomation -n flux-system fleet -o jsonpath='{.spec.update.strategy} {.spec.sourceRef.kind}')" \
  "Setters GitRepository" "ImageUpdateAutomation defaults"
expect_eq "$(k get alert -n flux-system on-call -o jsonpath='{.spec.eventSeverity}')" "error" "Alert keeps its severity"
expect_eq "$(k get receiver -n flux-system github -o jsonpath='{.spec.interval}')" "10m" "Receiver defaults"

# Validation: pattern, enum, required, each naming its field.
expect_fail k apply -f - <<<"$(bad_ks interval '"10 minutes"')"
expect_contains "$OUT" 'spec.interval: Invalid value: "10 minutes"'
expect_fail k apply -f - <<<"$(bad_ks deletionPolicy Sometimes)"
expect_contains "$OUT" 'spec.deletionPolicy: Unsupported value: "Sometimes"'
expect_fail k apply -f - <<'YAML'
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: bad, namespace: flux-system}
spec:
  interval: 10m
  sourceRef: {kind: GitRepository, name: flux-system}
YAML
expect_contains "$OUT" 'spec.prune: Required value'
expect_fail k apply -f - <<'YAML'
apiVersion: helm.toolkit.fluxcd.io/v2beta1
kind: HelmRelease
metadata: {name: bad, namespace: default}
spec:
  interval: 5m
  chart:
    spec:
      chart: podinfo
      sourceRef: {kind: HelmRepo, name: podinfo}
YAML
expect_contains "$OUT" 'spec.chart.spec.sourceRef.kind: Unsupported value: "HelmRepo"'
expect_fail k apply -f - <<'YAML'
apiVersion: image.toolkit.fluxcd.io/v1beta2
kind: ImagePolicy
metadata: {name: bad, namespace: flux-system}
spec:
  imageRepositoryRef: {name: minio}
  policy:
    alphabetical: {order: up}
YAML
expect_contains "$OUT" 'spec.policy.alphabetical.order: Unsupported value: "up"'
expect_eq "$(k get ks,hr,imgpol -A -o name | grep -c /bad)" 0 "rejected objects stored"
stop_server
