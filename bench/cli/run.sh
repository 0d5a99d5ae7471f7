#!/usr/bin/env bash
# bench/cli: wall time of `gotk dev up` from nothing to all Kustomizations Ready
# on the demo fleet, of a second (no-op) `dev up`, and of `gotk bootstrap git`
# into an empty repository on that control plane. It asserts nothing.
#   bench/cli/run.sh BUILD_DIR
# Issue targets: dev up under 5 s, bootstrap under 3 s.
set -u
build=${1:?usage: run.sh BUILD_DIR}
gotk="$(realpath "$build")/cli/gotk"
state=$(mktemp -d /tmp/gotk-bench-cli.XXXXXX)
trap '"$gotk" dev down --state-dir "$state" >/dev/null 2>&1; rm -rf "$state"' EXIT

now() { date +%s.%N; }
took() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f s", b - a }'; }

t0=$(now)
"$gotk" dev up --state-dir "$state" --timeout 5m >"$state/up.log" 2>&1 || { echo "dev up failed:"; cat "$state/up.log"; exit 1; }
t1=$(now)
echo "gotk dev up, fresh, to all-Ready:      $(took "$t0" "$t1")"
"$gotk" dev up --state-dir "$state" >/dev/null 2>&1
t2=$(now)
echo "gotk dev up again (nothing to change): $(took "$t1" "$t2")"

# an empty bare repository served by the dev Git server
git init -q --bare -b main "$state/git/empty.git"
port=$(sed 's/.*git=//' "$state/ports")
t3=$(now)
"$gotk" bootstrap git --kubeconfig "$state/kubeconfig" --url "http://127.0.0.1:$port/empty.git" \
  --branch main --path clusters/bench --timeout 5m >"$state/boot.log" 2>&1 ||
  { echo "bootstrap failed:"; cat "$state/boot.log"; exit 1; }
t4=$(now)
echo "gotk bootstrap git into an empty repo: $(took "$t3" "$t4")"
