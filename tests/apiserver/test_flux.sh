# Flux's CRDs (config/crd/bases) install, and Flux objects apply with the
# defaults their schemas declare and print with their printer columns.
crds="${GOTK_SOURCE_ROOT:?}/config/crd/bases"
[ -d "$crds" ] || { echo "no $crds; skipping"; exit 77; }
start_server
for f in "$crds"/*.yaml; do
  k apply --server-side -f "$f" >/dev/null || fail "applying $f"
done
for crd in gitrepositories.source.toolkit.fluxcd.io kustomizations.kustomize.toolkit.fluxcd.io \
           helmreleases.helm.toolkit.fluxcd.io; do
  expect_eq "$(k get crd $crd -o jsonpath='{.status.conditions[?(@.type=="Established")].status}')" "True" "$crd"
done
k create namespace flux-system >/dev/null
k apply -f - >/dev/null <<'YAML'
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: podinfo, namespace: flux-system}
spec:
  interval: 1m
  url: https://github.com/stefanprodan/podinfo
  ref: {branch: master}
---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: {name: podinfo, namespace: flux-system}
spec:
  interval: 10m
  path: ./kustomize
  prune: true
  sourceRef: {kind: GitRepository, name: podinfo}
YAML
expect_eq "$(k -n flux-system get gitrepository podinfo -o jsonpath='{.spec.timeout}')" "60s" "GitRepository default"
expect_eq "$(k -n flux-system get kustomization podinfo -o jsonpath='{.spec.force}')" "false" "Kustomization default"
expect_eq "$(k -n flux-system get gitrepository --no-headers | awk '{print $1, $2}')" \
  "podinfo https://github.com/stefanprodan/podinfo" "printer columns"
# a status written the way the controllers do shows in the Ready column
k -n flux-system patch gitrepository podinfo --subresource=status --type=merge \
  -p '{"status":{"conditions":[{"type":"Ready","status":"True","reason":"Succeeded","message":"stored artifact","lastTransitionTime":"2026-01-01T00:00:00Z"}]}}' >/dev/null
expect_eq "$(k -n flux-system get gitrepository podinfo --no-headers | awk '{print $4, $5, $6}')" "True stored artifact"
expect_eq "$(k -n flux-system wait gitrepository/podinfo --for=condition=Ready --timeout=5s)" \
  "gitrepository.source.toolkit.fluxcd.io/podinfo condition met"
stop_server
