#!/bin/bash
# bench/source-git: source-controller's GitRepository speed and footprint, side
# by side with plain git, in one run (issue 4's targets). Nothing is asserted.
#
#   bench/source-git/run.sh BUILD_DIR      # e.g. build (needs gotk-apiserver,
#                                          # source-controller, kubectl, git)
#   FILES=10000 COMMITS=2000 OBJECTS=500 NOCHANGE=20 ROUNDS=3 bench/source-git/run.sh build
#
# It starts gotk-apiserver and git smart HTTP (tests/servers) on 127.0.0.1, writes
# a repository of FILES files and COMMITS commits with git fast-import, and prints
# one table, each measure next to its reference and issue 4's target:
#   - first reconcile of that repository (the controller's own
#     gotk_reconcile_duration_seconds; median of ROUNDS new GitRepositories)
#     next to `git clone --depth 1` + `tar czf` of the same tree (median of
#     ROUNDS);
#   - a no-change reconcile (remote revision equals the artifact's), median,
#     mean and range of NOCHANGE reconciles asked for with
#     reconcile.fluxcd.io/requestedAt;
#   - the controller's RSS (and anonymous memory) idle, and with OBJECTS small
#     GitRepositories all Ready.
# The machine's load matters (other work shares the CPUs and the disk): compare
# medians of runs made under the same conditions.
# Every server it starts is stopped on exit; KEEP=1 keeps the work directory
# (controller log in sc.log).
set -euo pipefail
BUILD=$(cd "${1:?usage: run.sh BUILD_DIR}" && pwd)
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
FILES=${FILES:-10000} COMMITS=${COMMITS:-2000} OBJECTS=${OBJECTS:-500} NOCHANGE=${NOCHANGE:-20}
ROUNDS=${ROUNDS:-3}
unset GIT_SSL_CAINFO SSL_CERT_FILE CURL_CA_BUNDLE GIT_DIR GIT_WORK_TREE
export GIT_TERMINAL_PROMPT=0 GIT_CONFIG_NOSYSTEM=1
WD=$(mktemp -d "${TMPDIR:-/tmp}/gotk-bench-sc.XXXXXX")
export HOME=$WD
API_PID='' SC_PID=''
cleanup() {
  [ -n "$SC_PID" ] && kill -TERM "$SC_PID" 2>/dev/null && wait "$SC_PID" 2>/dev/null
  [ -n "$API_PID" ] && kill -TERM "$API_PID" 2>/dev/null && wait "$API_PID" 2>/dev/null
  "$ROOT/tests/servers/stop.sh" "$WD/srv" >/dev/null 2>&1 || true
  if [ -n "${KEEP:-}" ]; then echo "kept $WD"; else rm -rf "$WD"; fi
}
trap cleanup EXIT
now() { date +%s.%N; }
secs() { echo "$2 - $1" | bc -l | xargs printf '%.3f'; }
median() { tr ' ' '\n' | grep . | sort -g | awk '{v[NR]=$1} END{print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
kc() { kubectl --kubeconfig "$WD/kubeconfig" "$@"; }

# ---- servers -------------------------------------------------------------------
mkdir -p "$WD/data" "$WD/srv/repos"
"$BUILD/apiserver/gotk-apiserver" --data-dir "$WD/data" --listen 127.0.0.1:0 \
  --kubeconfig-out "$WD/kubeconfig" >"$WD/api.log" 2>&1 &
API_PID=$!
for _ in $(seq 100); do grep -qs 'listening on' "$WD/api.log" && break; sleep 0.05; done
kc apply -f "$ROOT/config/crd/bases/source.toolkit.fluxcd.io_gitrepositories.yaml" >/dev/null
git init -q --bare -b main "$WD/srv/repos/big.git"
git init -q --bare -b main "$WD/srv/repos/small.git"
"$ROOT/tests/servers/start-git-http.sh" "$WD/srv" >/dev/null
BASE=$(. "$WD/srv/git-http.env"; echo "$BASE_URL")

# ---- repositories ----------------------------------------------------------------
# FILES files in the first commit, then one changed file per commit.
t0=$(now)
{
  echo "commit refs/heads/main"
  echo "committer Bench <bench@example.com> 1700000000 +0000"
  echo "data 5"; echo "first"
  for i in $(seq 1 "$FILES"); do
    body="apiVersion: v1
kind: ConfigMap
metadata: {name: cm-$i}
data: {index: \"$i\"}"
    echo "M 644 inline apps/dir-$((i % 100))/cm-$i.yaml"
    echo "data ${#body}"; echo "$body"
  done
  for c in $(seq 2 "$COMMITS"); do
    echo "commit refs/heads/main"
    echo "committer Bench <bench@example.com> $((1700000000 + c)) +0000"
    echo "data 7"; echo "change$((c % 10))"
    body="revision: $c"
    echo "M 644 inline apps/revision.yaml"
    echo "data ${#body}"; echo "$body"
  done
} | git --git-dir="$WD/srv/repos/big.git" fast-import --quiet
git init -q -b main "$WD/small"
echo "kind: ConfigMap" >"$WD/small/cm.yaml"
git -C "$WD/small" add -A
git -C "$WD/small" -c user.name=B -c user.email=b@e commit -q -m small
git -C "$WD/small" push -q "$WD/srv/repos/small.git" main
echo "repository: $FILES files, $COMMITS commits (written in $(secs "$t0" "$(now)") s)"

# ---- baseline: git clone --depth 1 + tar -----------------------------------------------
CLONES='' TARS=''
for r in $(seq 1 "$ROUNDS"); do
  rm -rf "$WD/clone"
  t0=$(now)
  git clone -q --depth 1 "$BASE/big.git" "$WD/clone"
  t1=$(now)
  tar -C "$WD/clone" --exclude .git -czf "$WD/clone.tar.gz" .
  t2=$(now)
  CLONES="$CLONES $(secs "$t0" "$t1")" TARS="$TARS $(secs "$t1" "$t2")"
done
rm -rf "$WD/clone"
CLONE=$(echo "$CLONES" | median) TAR=$(echo "$TARS" | median)

# ---- the controller ----------------------------------------------------------------
MPORT=$(( 20000 + RANDOM % 10000 ))
"$BUILD/source-controller/source-controller" --kubeconfig "$WD/kubeconfig" \
  --storage-path "$WD/storage" --storage-addr 127.0.0.1:0 --metrics-addr "127.0.0.1:$MPORT" \
  --health-addr 0 --log-level "${LOG_LEVEL:-error}" >"$WD/sc.log" 2>&1 &
SC_PID=$!
for _ in $(seq 100); do curl -sf "127.0.0.1:$MPORT/metrics" >/dev/null && break; sleep 0.05; done
sleep 1
rss() { awk '/^VmRSS/{r=$2} END{print r}' "/proc/$SC_PID/status"; }
anon() { awk '/^Anonymous/{a=$2} END{print a}' "/proc/$SC_PID/smaps_rollup"; }
IDLE_RSS=$(rss) IDLE_ANON=$(anon)
# metric NAME: sum and count of gotk_reconcile_duration_seconds for one object
metric() {
  curl -s "127.0.0.1:$MPORT/metrics" | awk -v n="name=\"$1\"" '
    index($0, n) && /^gotk_reconcile_duration_seconds_sum/ {s=$2}
    index($0, n) && /^gotk_reconcile_duration_seconds_count/ {c=$2}
    END {print s+0, c+0}'
}
ready_of() { kc get gitrepository "$1" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null; }
wait_for() { # wait_for CMD... : poll until it succeeds (10 min at most)
  for _ in $(seq 12000); do "$@" && return 0; sleep 0.05; done; return 1
}

gitrepo() { # gitrepo NAME REPO
  printf 'apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata: {name: %s, namespace: default}\nspec: {interval: 1h, url: "%s/%s.git", ref: {branch: main}}\n' "$1" "$BASE" "$2"
}
is_ready() { [ "$(ready_of "$1")" = True ]; }
# the duration is recorded just after the status write that made it Ready
counted() { local c; read -r _ c < <(metric "$1"); [ "${c%.*}" -ge "$2" ]; }
FIRSTS=''
for r in $(seq 1 "$ROUNDS"); do
  name=big; [ "$r" = 1 ] || name=big$r
  gitrepo "$name" big | kc apply -f - >/dev/null
  wait_for is_ready "$name"
  wait_for counted "$name" 1
  read -r f _ < <(metric "$name")
  FIRSTS="$FIRSTS $f"
done
FIRST=$(echo "$FIRSTS" | median | xargs printf '%.3f')

# no-change reconciles, one at a time
NCS=''
for i in $(seq 1 "$NOCHANGE"); do
  read -r s0 c0 < <(metric big)
  kc annotate --overwrite gitrepository big "reconcile.fluxcd.io/requestedAt=bench-$i" >/dev/null
  wait_for counted big $(( ${c0%.*} + 1 ))
  read -r s1 _ < <(metric big)
  NCS="$NCS $(echo "($s1 - $s0) * 1000" | bc -l | xargs printf '%.1f')"
done
NC_MEDIAN=$(echo "$NCS" | median | xargs printf '%.1f')
NC_MEAN=$(echo "$NCS" | tr ' ' '\n' | grep . | awk '{s+=$1} END{printf "%.1f", s/NR}')
NC_RANGE=$(echo "$NCS" | tr ' ' '\n' | grep . | sort -g | sed -n '1p;$p' | paste -sd-)

# many objects
t0=$(now)
for i in $(seq 1 "$OBJECTS"); do
  gitrepo "s$i" small; echo ---
done | kc apply -f - >/dev/null
all_ready() {
  [ "$(kc get gitrepository -o jsonpath='{range .items[*]}{.status.conditions[?(@.type=="Ready")].status}{"\n"}{end}' | grep -c True)" -ge $((OBJECTS + ROUNDS)) ]
}
wait_for all_ready
MANY_TIME=$(secs "$t0" "$(now)")
MANY_RSS=$(rss) MANY_ANON=$(anon)
HWM=$(awk '/^VmHWM/{print $2}' "/proc/$SC_PID/status")

mib() { echo "$1/1024" | bc -l | xargs printf '%.1f'; }
row() { printf '%-40s %14s %22s %16s\n' "$@"; }
echo
row "measure" "gotk" "reference" "target"
row "first reconcile, clone + artifact (s)" "$FIRST" "$(echo "$CLONE + $TAR" | bc -l | xargs printf '%.3f') clone+tar" "< $(echo "1.5 * ($CLONE + $TAR)" | bc -l | xargs printf '%.3f')"
row "  ratio to git clone --depth 1 + tar" "$(echo "$FIRST / ($CLONE + $TAR)" | bc -l | xargs printf '%.2f')" "1 (clone $CLONE, tar $TAR)" "< 1.5"
row "  rounds (s)" "$(echo $FIRSTS | xargs printf '%.2f ')" "$(echo $CLONES | xargs printf '%.2f ')" ""
row "no-change reconcile (ms, median)" "$NC_MEDIAN" "" "< 20"
row "  mean; range of $NOCHANGE" "$NC_MEAN; $NC_RANGE" "" ""
row "RSS idle (MiB; anonymous)" "$(mib "$IDLE_RSS"); $(mib "$IDLE_ANON")" "" "< 7.6 (8 MB)"
row "$OBJECTS GitRepositories Ready (s)" "$MANY_TIME" "" ""
row "RSS with $OBJECTS (MiB; anonymous)" "$(mib "$MANY_RSS"); $(mib "$MANY_ANON")" "Flux 38-128 MiB" "< 38.1 (40 MB)"
row "peak RSS (MiB)" "$(mib "$HWM")" "" ""
echo "(Flux's source-controller figures: fluxcd/flux-benchmark; load average $(cut -d' ' -f1-3 /proc/loadavg))"
