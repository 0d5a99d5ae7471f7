#!/usr/bin/env bash
# bench/kustomize: `gotk kustomize build` next to `kubectl kustomize` on overlay
# stacks of 500, 5,000 and 20,000 resources (Deployments referencing
# ConfigMaps, with namePrefix, namespace, labels, images, a patch on every
# Deployment and a generator), and the differential test corpus one case at a
# time. Prints both times, the ratio and peak RSS; checks the outputs are
# identical. It asserts nothing.
#   bench/kustomize/run.sh BUILD_DIR [SIZES...]     (default sizes: 500 5000 20000)
# kubectl takes minutes at 5,000 and is skipped above KUBECTL_MAX (default 5000).
set -u
build=${1:?usage: run.sh BUILD_DIR [SIZES...]}; shift
sizes=${*:-500 5000 20000}
gotk="$build/cli/gotk"
kmax=${KUBECTL_MAX:-5000}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT

# An overlay over a base of n/2 Deployments and n/2 ConfigMaps.
make_stack() { # dir n
  local d=$1 n=$2 half=$(( $2 / 2 )) i
  mkdir -p "$d/base" "$d/overlay"
  { echo "resources:"; for ((i = 0; i < half; i++)); do echo "- app-$i.yaml"; done; } >"$d/base/kustomization.yaml"
  for ((i = 0; i < half; i++)); do
    cat >"$d/base/app-$i.yaml" <<YAML
apiVersion: v1
kind: ConfigMap
metadata:
  name: cfg-$i
data:
  key: value-$i
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-$i
spec:
  selector:
    matchLabels: {app: app-$i}
  template:
    metadata:
      labels: {app: app-$i}
    spec:
      containers:
      - name: app
        image: ghcr.io/example/app:1.0.0
        envFrom:
        - configMapRef: {name: cfg-$i}
YAML
  done
  cat >"$d/overlay/kustomization.yaml" <<'YAML'
namespace: bench
namePrefix: edge-
resources:
- ../base
labels:
- pairs: {site: bench}
  includeSelectors: true
images:
- name: ghcr.io/example/app
  newTag: 2.0.0
configMapGenerator:
- name: site
  literals: [SITE=bench]
patches:
- target: {kind: Deployment}
  patch: |
    - op: add
      path: /spec/replicas
      value: 2
YAML
}

# seconds and peak RSS (MB) of a command, its stdout to a file
measure() { # out cmd...
  local out=$1; shift
  /usr/bin/time -f '%e %M' -o "$T/time" "$@" >"$out" 2>/dev/null
  read -r secs kb <"$T/time"
  echo "$secs $((kb / 1024))"
}

printf '%-10s %12s %10s %14s %10s %8s %s\n' resources gotk_s gotk_MB kubectl_s kubectl_MB ratio output
for n in $sizes; do
  make_stack "$T/s$n" "$n"
  read -r gs gm < <(measure "$T/g$n" "$gotk" kustomize build "$T/s$n/overlay")
  if [ "$n" -le "$kmax" ]; then
    read -r ks km < <(measure "$T/k$n" kubectl kustomize "$T/s$n/overlay")
    same=$(cmp -s "$T/g$n" "$T/k$n" && echo identical || echo DIFFERENT)
    ratio=$(awk -v a="$ks" -v b="$gs" 'BEGIN { printf "%.0fx", (b > 0 ? a / b : 0) }')
  else
    ks=- km=- ratio=- same="(kubectl skipped)"
  fi
  printf '%-10s %12s %10s %14s %10s %8s %s\n' "$n" "$gs" "$gm" "$ks" "$km" "$ratio" "$same"
done

# the differential corpus, case by case
cases="$(dirname "$0")/../../tests/kustomize/cases"
if [ -d "$cases" ]; then
  g0=$(date +%s.%N); n=0
  for c in "$cases"/*/; do "$gotk" kustomize build "$c" >/dev/null 2>&1; n=$((n + 1)); done
  g1=$(date +%s.%N)
  for c in "$cases"/*/; do kubectl kustomize "$c" >/dev/null 2>&1; done
  k1=$(date +%s.%N)
  awk -v n="$n" -v g="$(echo "$g1 - $g0" | bc)" -v k="$(echo "$k1 - $g1" | bc)" \
    'BEGIN { printf "corpus: %d cases, gotk %.2fs, kubectl %.2fs (%.0fx)\n", n, g, k, k / g }'
fi
