#!/usr/bin/env bash
# lib.sh: the harness every apiserver test runs under: `bash lib.sh test_x.sh`.
# It starts gotk-apiserver in a temporary directory on 127.0.0.1 with a free
# port (start_server), gives the test `k` (kubectl with the written kubeconfig)
# and assertions, and always stops the server and removes the directory.
# stop_server sends SIGTERM and requires exit status 0, so under ASan a leak
# or any sanitizer report fails the test.
set -euo pipefail

SERVER="${GOTK_BUILD_ROOT:?}/apiserver/gotk-apiserver"
if ! command -v kubectl >/dev/null 2>&1; then
  echo "kubectl not installed; skipping"
  exit 77
fi
T=$(mktemp -d "${TMPDIR:-/tmp}/gotk-apiserver-test.XXXXXX")
export KUBECACHEDIR="$T/kube-cache"
export HOME="$T"
SERVER_PID=""
PORT=""

cleanup() {
  local rc=$?
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill -KILL "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  if [ $rc -ne 0 ] && [ -f "$T/server.err" ]; then
    echo "--- server stderr (last 30 lines) ---"; tail -n 30 "$T/server.err"
  fi
  rm -rf "$T"
  exit $rc
}
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }

# Start the server on the data dir $T/data (kept across restarts).
start_server() {
  rm -f "$T/server.out" # a previous run's "listening" line must not be read
  "$SERVER" --data-dir "$T/data" --listen 127.0.0.1:0 --kubeconfig-out "$T/kubeconfig" "$@" \
    >"$T/server.out" 2>>"$T/server.err" &
  SERVER_PID=$!
  for _ in $(seq 1 400); do # 20s: a loaded machine under ASan starts slowly
    if grep -q '^listening on https://127.0.0.1:' "$T/server.out" 2>/dev/null; then
      PORT=$(sed -n 's|^listening on https://127.0.0.1:\([0-9]*\)$|\1|p' "$T/server.out")
      return 0
    fi
    kill -0 "$SERVER_PID" 2>/dev/null || fail "server exited during startup"
    sleep 0.05
  done
  fail "server not listening after 20s"
}

# Stop with SIGTERM; the server must exit 0 (and clean under ASan).
stop_server() {
  kill -TERM "$SERVER_PID"
  local rc=0
  wait "$SERVER_PID" || rc=$?
  SERVER_PID=""
  [ $rc -eq 0 ] || fail "server exited with status $rc on SIGTERM"
}

k() { kubectl --kubeconfig "$T/kubeconfig" "$@"; }

# curl with the admin token: raw METHOD PATH [curl args...]
raw() {
  local method=$1 path=$2; shift 2
  curl -sk -X "$method" -H "Authorization: Bearer $(cat "$T/data/token")" "$@" \
    "https://127.0.0.1:$PORT$path"
}

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

cd "$T"
# shellcheck source=/dev/null
source "$1"
echo "PASS: $(basename "$1")"
