# kustomize builds config/ and each directory in it on its own; each build
# holds exactly the expected objects, in kustomize's apply order.

# expect_objects DIR: the build of DIR must list exactly the lines on stdin.
expect_objects() {
  local dir=$1 want got
  want=$(cat)
  got=$(kb "$C/$dir" | objects) || fail "kubectl kustomize config/$dir failed"
  expect_eq "$got" "$want" "objects of config/$dir"
}

expect_objects source-controller <<'LIST'
CustomResourceDefinition buckets.source.toolkit.fluxcd.io
CustomResourceDefinition gitrepositories.source.toolkit.fluxcd.io
CustomResourceDefinition helmcharts.source.toolkit.fluxcd.io
CustomResourceDefinition helmrepositories.source.toolkit.fluxcd.io
CustomResourceDefinition ocirepositories.source.toolkit.fluxcd.io
ServiceAccount flux-system/source-controller
Service flux-system/source-controller
Deployment flux-system/source-controller
LIST

expect_objects kustomize-controller <<'LIST'
CustomResourceDefinition kustomizations.kustomize.toolkit.fluxcd.io
ServiceAccount flux-system/kustomize-controller
Deployment flux-system/kustomize-controller
LIST

expect_objects helm-controller <<'LIST'
CustomResourceDefinition helmreleases.helm.toolkit.fluxcd.io
ServiceAccount flux-system/helm-controller
Deployment flux-system/helm-controller
LIST

expect_objects notification-controller <<'LIST'
CustomResourceDefinition alerts.notification.toolkit.fluxcd.io
CustomResourceDefinition providers.notification.toolkit.fluxcd.io
CustomResourceDefinition receivers.notification.toolkit.fluxcd.io
ServiceAccount flux-system/notification-controller
Service flux-system/notification-controller
Service flux-system/webhook-receiver
Deployment flux-system/notification-controller
LIST

expect_objects image-reflector-controller <<'LIST'
CustomResourceDefinition imagepolicies.image.toolkit.fluxcd.io
CustomResourceDefinition imagerepositories.image.toolkit.fluxcd.io
ServiceAccount flux-system/image-reflector-controller
Deployment flux-system/image-reflector-controller
LIST

expect_objects image-automation-controller <<'LIST'
CustomResourceDefinition imageupdateautomations.image.toolkit.fluxcd.io
ServiceAccount flux-system/image-automation-controller
Deployment flux-system/image-automation-controller
LIST

expect_objects namespace <<'LIST'
Namespace flux-system
LIST

expect_objects rbac <<'LIST'
ResourceQuota flux-system/critical-pods
ClusterRole crd-controller
ClusterRole flux-edit
ClusterRole flux-view
ClusterRoleBinding cluster-reconciler
ClusterRoleBinding crd-controller
LIST

expect_objects policies <<'LIST'
NetworkPolicy flux-system/allow-egress
NetworkPolicy flux-system/allow-scraping
NetworkPolicy flux-system/allow-webhooks
LIST

expect_objects . <<'LIST'
Namespace flux-system
ResourceQuota flux-system/critical-pods
CustomResourceDefinition alerts.notification.toolkit.fluxcd.io
CustomResourceDefinition buckets.source.toolkit.fluxcd.io
CustomResourceDefinition gitrepositories.source.toolkit.fluxcd.io
CustomResourceDefinition helmcharts.source.toolkit.fluxcd.io
CustomResourceDefinition helmreleases.helm.toolkit.fluxcd.io
CustomResourceDefinition helmrepositories.source.toolkit.fluxcd.io
CustomResourceDefinition imagepolicies.image.toolkit.fluxcd.io
CustomResourceDefinition imagerepositories.image.toolkit.fluxcd.io
CustomResourceDefinition imageupdateautomations.image.toolkit.fluxcd.io
CustomResourceDefinition kustomizations.kustomize.toolkit.fluxcd.io
CustomResourceDefinition ocirepositories.source.toolkit.fluxcd.io
CustomResourceDefinition providers.notification.toolkit.fluxcd.io
CustomResourceDefinition receivers.notification.toolkit.fluxcd.io
ServiceAccount flux-system/helm-controller
ServiceAccount flux-system/image-automation-controller
ServiceAccount flux-system/image-reflector-controller
ServiceAccount flux-system/kustomize-controller
ServiceAccount flux-system/notification-controller
ServiceAccount flux-system/source-controller
ClusterRole crd-controller
ClusterRole flux-edit
ClusterRole flux-view
ClusterRoleBinding cluster-reconciler
ClusterRoleBinding crd-controller
Service flux-system/notification-controller
Service flux-system/source-controller
Service flux-system/webhook-receiver
Deployment flux-system/helm-controller
Deployment flux-system/image-automation-controller
Deployment flux-system/image-reflector-controller
Deployment flux-system/kustomize-controller
Deployment flux-system/notification-controller
Deployment flux-system/source-controller
NetworkPolicy flux-system/allow-egress
NetworkPolicy flux-system/allow-scraping
NetworkPolicy flux-system/allow-webhooks
LIST

# The images are ours, and a kustomization on top can point them elsewhere
# (what `gotk install --registry` does).
expect_eq "$(kb "$C" | grep -c 'image: ghcr.io/gotk/[a-z-]*-controller:v0.1.0$')" 6 "image references"
mkdir -p "$T/mirror"
cat > "$T/mirror/kustomization.yaml" <<'YAML'
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - ../config/source-controller
  - ../config/helm-controller
images:
  - name: ghcr.io/gotk/source-controller
    newName: registry.example.com/gotk/source-controller
    newTag: v9.9.9
YAML
out=$(kb "$T/mirror")
expect_contains "$out" "image: registry.example.com/gotk/source-controller:v9.9.9"
expect_contains "$out" "image: ghcr.io/gotk/helm-controller:v0.1.0"

# A selection of components composes without clashes, and with another
# namespace everything namespaced moves there.
mkdir -p "$T/pick"
cat > "$T/pick/kustomization.yaml" <<'YAML'
apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: gitops
resources:
  - ../config/source-controller
  - ../config/kustomize-controller
  - ../config/rbac
YAML
got=$(kb "$T/pick" | objects | grep -v '^CustomResourceDefinition\|^Cluster' | sort)
expect_eq "$got" "Deployment gitops/kustomize-controller
Deployment gitops/source-controller
ResourceQuota gitops/critical-pods
Service gitops/source-controller
ServiceAccount gitops/kustomize-controller
ServiceAccount gitops/source-controller" "objects of a two-component selection in namespace gitops"

# gotk's own kustomize engine (what `gotk install` uses) builds every
# directory byte for byte as kubectl does.
GOTK="${GOTK_BUILD_ROOT:?}/cli/gotk"
[ -x "$GOTK" ] || fail "gotk not built at $GOTK"
for dir in . namespace rbac policies source-controller kustomize-controller helm-controller \
           notification-controller image-reflector-controller image-automation-controller; do
  kb "$C/$dir" > want.yaml
  "$GOTK" kustomize build --load-restrictor LoadRestrictionsNone "$C/$dir" > got.yaml ||
    fail "gotk kustomize build config/$dir failed"
  cmp -s want.yaml got.yaml || fail "gotk kustomize build config/$dir differs from kubectl: $(diff want.yaml got.yaml | head -20)"
done
