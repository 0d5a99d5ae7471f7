#!/usr/bin/env bash
# lib.sh: harness for the config/ tests: `bash lib.sh test_x.sh GOTK_APISERVER`.
# It copies config/ into a temporary directory (so a test can add files beside
# it), gives the test `kb` (kubectl kustomize), `objects` (the "Kind
# namespace/name" list of a build), an optional gotk-apiserver (start_server,
# `k` = kubectl with its kubeconfig) and assertions; on exit it kills the
# server and removes the directory. Exit 77 means skipped.
set -euo pipefail

SERVER="${2:?usage: lib.sh TEST GOTK_APISERVER}"
SERVER=$(realpath "$SERVER")   # meson passes it relative to the build directory
if ! command -v kubectl >/dev/null 2>&1; then
  echo "kubectl not installed; skipping"
  exit 77
fi
T=$(mktemp -d "${TMPDIR:-/tmp}/gotk-config-test.XXXXXX")
export KUBECACHEDIR="$T/kube-cache"
export HOME="$T"
SERVER_PID=""

cleanup() {
  local rc=$?
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -KILL "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  if [ $rc -ne 0 ] && [ $rc -ne 77 ] && [ -s "$T/server.err" ]; then
    echo "--- server stderr (last 30 lines) ---"; tail -n 30 "$T/server.err"
  fi
  rm -rf "$T"
  exit $rc
}
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }

# expect_eq ACTUAL EXPECTED [what]
expect_eq() {
  [ "$1" == "$2" ] || fail "${3:-value}: expected [$2], got [$1]"
}

# expect_contains HAYSTACK NEEDLE [what]
expect_contains() {
  case "$1" in *"$2"*) ;; *) fail "${3:-output}: expected to contain [$2], got [$1]" ;; esac
}

# expect_fail CMD...: the command must fail; its combined output is in $OUT.
expect_fail() {
  if OUT=$("$@" 2>&1); then fail "expected failure: $*"; fi
}

# The manifests under test, copied so nothing is written into the source tree.
cp -r "${GOTK_SOURCE_ROOT:?}/config" "$T/config"
C="$T/config"
# GitRepository's CRD is written separately; until it lands, a minimal
# stand-in keeps source-controller's kustomization buildable.
GITREPO_CRD="$C/crd/bases/source.toolkit.fluxcd.io_gitrepositories.yaml"
if [ ! -f "$GITREPO_CRD" ]; then
  echo "note: $(basename "$GITREPO_CRD") not in config/ yet; using a stand-in"
  cat > "$GITREPO_CRD" <<'YAML'
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: gitrepositories.source.toolkit.fluxcd.io
spec:
  group: source.toolkit.fluxcd.io
  scope: Namespaced
  names: {kind: GitRepository, listKind: GitRepositoryList, plural: gitrepositories,
          singular: gitrepository, shortNames: [gitrepo], categories: [all, fluxcd]}
  versions:
    - name: v1
      served: true
      storage: true
      subresources: {status: {}}
      schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
YAML
fi

# kb DIR: build a kustomization. The component directories name their CRDs
# as ../crd/bases/<file>, which kustomize only loads without its restrictor.
kb() { kubectl kustomize --load-restrictor LoadRestrictionsNone "$@"; }

# objects < BUILD: one "Kind namespace/name" line per object (kustomize's output
# is normalized: top-level keys at column 0, metadata's keys indented by 2).
objects() {
  awk '
    function flush() { if (kind != "") print kind " " (ns != "" ? ns "/" : "") name }
    /^---$/ { flush(); kind = ""; ns = ""; name = ""; inmeta = 0; next }
    /^kind: / { kind = $2 }
    /^metadata:/ { inmeta = 1; next }
    /^[^ ]/ { inmeta = 0 }
    inmeta && /^  name: / { name = $2 }
    inmeta && /^  namespace: / { ns = $2 }
    END { flush() }'
}

# Start gotk-apiserver on a free port; its kubeconfig is $T/kubeconfig.
start_server() {
  "$SERVER" --data-dir "$T/data" --listen 127.0.0.1:0 --kubeconfig-out "$T/kubeconfig" \
    >"$T/server.out" 2>>"$T/server.err" &
  SERVER_PID=$!
  for _ in $(seq 1 200); do
    if grep -q '^listening on https://' "$T/server.out" 2>/dev/null; then return 0; fi
    kill -0 "$SERVER_PID" 2>/dev/null || fail "gotk-apiserver exited during startup"
    sleep 0.05
  done
  fail "gotk-apiserver not listening after 10s"
}

# Stop with SIGTERM; the server must exit 0 (so a sanitizer report fails the test).
stop_server() {
  kill -TERM "$SERVER_PID"
  local rc=0
  wait "$SERVER_PID" || rc=$?
  SERVER_PID=""
  [ $rc -eq 0 ] || fail "gotk-apiserver exited with status $rc on SIGTERM"
}

k() { kubectl --kubeconfig "$T/kubeconfig" "$@"; }

cd "$T"
# shellcheck source=/dev/null
source "$1"
echo "PASS: $(basename "$1")"
