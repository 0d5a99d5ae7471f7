#!/bin/bash
# output-dir.sh: `gotk kustomize build -o DIR` with DIR an existing directory
# writes a file per resource, named and filled as kustomize does (namespace
# prefixes only when the resources span namespaces); compared with kubectl
# kustomize when it is installed.
# Usage: output-dir.sh GOTK
set -u
gotk=$1
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gotk-kust-odir.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT INT TERM
mkdir -p "$tmp/k" "$tmp/gotk" "$tmp/kubectl"
printf 'resources: [r.yaml]\n' > "$tmp/k/kustomization.yaml"
cat > "$tmp/k/r.yaml" <<'YAML'
apiVersion: apps/v1
kind: Deployment
metadata: {name: Web, namespace: Team-A}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: cfg}
data: {b: "2", a: "1"}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: cr}
YAML
"$gotk" kustomize build "$tmp/k" -o "$tmp/gotk" || { echo "gotk failed"; exit 1; }
for f in team-a_apps_v1_deployment_web.yaml default_v1_configmap_cfg.yaml \
         rbac.authorization.k8s.io_v1_clusterrole_cr.yaml; do
    [ -f "$tmp/gotk/$f" ] || { echo "missing $f:"; ls "$tmp/gotk"; exit 1; }
done
want=$'apiVersion: v1\ndata:\n  a: "1"\n  b: "2"\nkind: ConfigMap\nmetadata:\n  name: cfg'
[ "$(cat "$tmp/gotk/default_v1_configmap_cfg.yaml")" = "$want" ] || {
    echo "unexpected content:"; cat "$tmp/gotk/default_v1_configmap_cfg.yaml"; exit 1; }
if command -v kubectl >/dev/null 2>&1; then
    kubectl kustomize "$tmp/k" -o "$tmp/kubectl" || exit 1
    diff -r "$tmp/kubectl" "$tmp/gotk" || exit 1
fi
exit 0
