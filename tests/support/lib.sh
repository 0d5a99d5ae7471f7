#!/usr/bin/env bash
# lib.sh: what the shell end-to-end tests share. Source it after `set -u`:
#
#   T            a fresh temporary directory (mode 0755, so servers running as
#                other users can read it), HOME and KUBECACHEDIR inside it;
#                removed on exit with every process started through `track`
#   check WHAT EXPR      evaluate EXPR; print "ok: WHAT" or "FAIL: WHAT" (sets fail=1)
#   free_port            a TCP port nobody listens on at 127.0.0.1
#   track PID            stop this process on exit (SIGTERM, then SIGKILL)
#   at_exit CMD          run CMD on exit, before the processes are stopped
#   start_apiserver BIN [ARGS...]   gotk-apiserver with data in $T/api, kubeconfig
#                $T/kc (exported as KUBECONFIG), stdout/stderr in $T/api.out/.err
#   start_controllers SC KC   source-controller (storage $T/storage, artifacts on
#                a free port) and kustomize-controller, logs $T/sc.log, $T/kc.log
#
# Background jobs the test started itself (`cmd &`) are killed on exit as well.
T=$(mktemp -d "${TMPDIR:-/tmp}/gotk-test.XXXXXX")
chmod 755 "$T"
export HOME="$T" KUBECACHEDIR="$T/kube-cache"
fail=0
TRACKED=()
EXIT_HOOKS=()

track() { TRACKED+=("$1"); }
at_exit() { EXIT_HOOKS+=("$1"); }

# SIGTERM every tracked process, give each up to 5 s, then SIGKILL it.
stop_tracked() {
  local p
  for p in "${TRACKED[@]}"; do kill "$p" 2>/dev/null; done
  for p in "${TRACKED[@]}"; do
    for _ in $(seq 1 100); do kill -0 "$p" 2>/dev/null || break; sleep 0.05; done
    kill -KILL "$p" 2>/dev/null
    wait "$p" 2>/dev/null
  done
  TRACKED=()
}

lib_cleanup() {
  local h
  for h in "${EXIT_HOOKS[@]}"; do eval "$h"; done
  jobs -p | xargs -r kill 2>/dev/null
  stop_tracked
  rm -rf "$T"
}
trap lib_cleanup EXIT

check() { if eval "$2"; then echo "ok: $1"; else echo "FAIL: $1"; fail=1; fi; }

free_port() {
  local p
  for p in $(shuf -i 20000-60000 -n 50); do
    (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
  done
}

start_apiserver() {
  local bin=$1
  shift
  "$bin" --data-dir "$T/api" --listen 127.0.0.1:0 --kubeconfig-out "$T/kc" "$@" \
    >"$T/api.out" 2>"$T/api.err" &
  track $!
  for _ in $(seq 1 200); do
    grep -q '^listening on https://' "$T/api.out" 2>/dev/null && break
    sleep 0.05
  done
  grep -q '^listening on https://' "$T/api.out" ||
    { echo "gotk-apiserver did not start"; cat "$T/api.err"; exit 1; }
  export KUBECONFIG="$T/kc"
}

start_controllers() {
  local art
  art="127.0.0.1:$(free_port)"
  "$1" --kubeconfig "$T/kc" --storage-path "$T/storage" --storage-addr "$art" \
    --storage-adv-addr "$art" --metrics-addr 127.0.0.1:0 --health-addr 127.0.0.1:0 \
    >"$T/sc.log" 2>&1 &
  track $!
  "$2" --kubeconfig "$T/kc" --metrics-addr 127.0.0.1:0 --health-addr 127.0.0.1:0 \
    >"$T/kc.log" 2>&1 &
  track $!
}
