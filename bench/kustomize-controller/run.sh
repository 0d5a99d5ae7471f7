#!/bin/bash
# bench/kustomize-controller: N Kustomizations of 10 ConfigMaps each from one
# artifact on gotk-apiserver. Prints the time from starting kustomize-controller
# to all Ready, the time of a no-change round (every Kustomization asked to
# reconcile again with reconcile.fluxcd.io/requestedAt), and the controller's
# peak RSS. Flux's published figure: 1,000 in 4m13s, 223 MiB (16 cores).
#
#   bench/kustomize-controller/run.sh BUILD_DIR [N]
#
# KC_ARGS sets the controller's flags. The default is Flux's benchmark setup
# (fluxcd/flux-benchmark runs kustomize-controller with --concurrent=20) with the
# client rate limit raised: at Flux's default --kube-api-qps 50 the limiter, not
# the controller, sets the pace (about 20 requests per Kustomization). The flags
# used are printed with the results. PERF=DIR records both gotk-apiserver and
# kustomize-controller with `perf record --call-graph dwarf` into DIR/api.perf and DIR/kc.perf.
# CPU seconds of both processes are printed too: on a shared machine they are
# steadier than wall time (the load average is printed beside them).
# The artifact is served by python3's http.server (any static server will do).
set -eu
B=$(cd "$1" && pwd); N=${2:-1000}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WD=$(mktemp -d); trap 'kill $KC $HTTP $API 2>/dev/null || true; rm -rf "$WD"' EXIT
# cpu PID: user+system CPU seconds of a process so far
cpu() { awk -v t="$(getconf CLK_TCK)" '{printf "%.1f", ($14 + $15) / t}' "/proc/$1/stat"; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
cd "$WD"; mkdir -p data st src/apps
KC= HTTP= API= PERFPID=
KC_ARGS=${KC_ARGS---concurrent 20 --kube-api-qps 5000 --kube-api-burst 10000}
"$B/apiserver/gotk-apiserver" --data-dir data --listen 127.0.0.1:0 --kubeconfig-out kc.yaml >api.log 2>&1 &
API=$!
for _ in $(seq 100); do grep -q listening api.log && break; sleep 0.1; done
export KUBECONFIG=$WD/kc.yaml
kubectl apply -f "$ROOT/config/crd/bases/kustomize.toolkit.fluxcd.io_kustomizations.yaml" \
  -f "$ROOT/config/crd/bases/source.toolkit.fluxcd.io_gitrepositories.yaml" >/dev/null
kubectl create ns bench >/dev/null
for d in $(seq "$N"); do
  mkdir -p src/apps/a$d
  for j in $(seq 10); do
    printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cm%s}\ndata: {v: "%s"}\n' $j $j >src/apps/a$d/cm$j.yaml
  done
done
(cd src && tar czf ../st/art.tar.gz .)
DIGEST=sha256:$(sha256sum st/art.tar.gz | cut -d' ' -f1)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
(cd st && exec python3 -m http.server "$PORT" --bind 127.0.0.1 >/dev/null 2>&1) &
HTTP=$!
kubectl apply -f - >/dev/null <<Y
apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata: {name: repo, namespace: bench}
spec: {url: 'https://example.com/x', interval: 1h}
Y
kubectl patch gitrepository repo -n bench --subresource=status --type=merge -p \
  "{\"status\":{\"artifact\":{\"path\":\"art.tar.gz\",\"url\":\"http://127.0.0.1:$PORT/art.tar.gz\",\"revision\":\"main@sha1:0123456789012345678901234567890123456789\",\"digest\":\"$DIGEST\",\"lastUpdateTime\":\"2026-01-01T00:00:00Z\"}}}" >/dev/null
for d in $(seq "$N"); do
  printf -- '---\napiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: {name: k%s, namespace: bench}\nspec: {interval: 1h, prune: true, path: apps/a%s, targetNamespace: bench, namePrefix: k%s-, sourceRef: {kind: GitRepository, name: repo}}\n' $d $d $d
done >ks.yaml
kubectl apply -f ks.yaml >/dev/null

# count_ready [TOKEN]: Kustomizations Ready (and, with TOKEN, that handled it)
count_ready() {
  kubectl get ks -n bench -o jsonpath='{range .items[*]}{.status.conditions[?(@.type=="Ready")].status} {.status.lastHandledReconcileAt}{"\n"}{end}' |
    grep -c "^True ${1:-}" || true
}
now() { date +%s.%N; }
T0=$(now)
# shellcheck disable=SC2086
"$B/kustomize-controller/kustomize-controller" --kubeconfig kc.yaml --metrics-addr 0 \
  --health-addr 0 ${KC_ARGS:-} >kc.log 2>&1 &
KC=$!
if [ -n "${PERF:-}" ]; then
  mkdir -p "$PERF"
  sleep 1 # perf -p follows only the threads that exist: let the workers start
  perf record -q -F 499 --call-graph dwarf,16384 -o "$PERF/kc.perf" -p "$KC" 2>/dev/null &
  PERFPID=$!
  perf record -q -F 499 --call-graph dwarf,16384 -o "$PERF/api.perf" -p "$API" 2>/dev/null &
  PERFPID="$PERFPID $!"
fi
L0=$(load)
until [ "$(count_ready)" -ge "$N" ]; do sleep 0.5; done
T1=$(now)
C1="$(cpu "$KC") s controller, $(cpu "$API") s apiserver"
T2=$(now) # the round starts with the first annotation
kubectl annotate ks -n bench --all --overwrite reconcile.fluxcd.io/requestedAt=round2 >/dev/null
TA=$(now) # kubectl has annotated them all (one request each, in a row)
until [ "$(count_ready round2)" -ge "$N" ]; do sleep 0.5; done
T3=$(now)
C3="$(cpu "$KC") s controller, $(cpu "$API") s apiserver (total)"
# shellcheck disable=SC2086
[ -z "$PERFPID" ] || { kill -INT $PERFPID; wait $PERFPID 2>/dev/null || true; }
echo "kustomize-controller: $N Kustomizations x 10 objects"
echo "  flags:            ${KC_ARGS:-(none)}"
echo "  load average:     $L0 at start, $(load) at end"
echo "  all Ready:        $(echo "$T1 - $T0" | bc) s (CPU: $C1)"
echo "  no-change round:  $(echo "$T3 - $T2" | bc) s (CPU: $C3; kubectl annotate took $(echo "$TA - $T2" | bc) s of it)"
echo "  peak RSS:         $(awk '/VmHWM/ {print $2, $3}' /proc/$KC/status) (at the end: $(awk '/^Rss(Anon|File)/ {printf "%s %s kB ", $1, $2} /^Threads/ {printf "%s %s", $1, $2}' /proc/$KC/status))"
