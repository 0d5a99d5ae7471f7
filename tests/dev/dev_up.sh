#!/usr/bin/env bash
# The README's main job, end to end: `gotk dev up` starts the local control plane,
# bootstraps clusters/cluster1 of the demo fleet and returns with everything Ready.
# Then: running it again changes nothing; a commit pushed to the demo repository
# is applied after `reconcile.fluxcd.io/requestedAt`; a killed controller is
# restarted by the supervisor; `gotk dev down` stops every process.
set -u
gotk="$GOTK_BUILD_ROOT/cli/gotk"
state=$(mktemp -d /tmp/gotk-dev-test.XXXXXX)
export KUBECONFIG="$state/kubeconfig"
export GIT_TERMINAL_PROMPT=0
fail=0
cleanup() {
  "$gotk" dev down --state-dir "$state" >/dev/null 2>&1
  # anything left of this state directory is a failure, and is stopped here
  left=$(pgrep -f "$state" || true)
  if [ -n "$left" ]; then echo "FAIL: processes left after dev down: $left"; kill -9 $left 2>/dev/null; fail=1; fi
  rm -rf "$state"
}
trap cleanup EXIT
check() { if eval "$2"; then echo "ok: $1"; else echo "FAIL: $1"; fail=1; fi; }
kget() { kubectl get "$@" 2>/dev/null; }
poll() { # seconds, condition
  local end=$((SECONDS + $1)); shift
  while [ $SECONDS -lt $end ]; do eval "$1" && return 0; sleep 0.3; done
  return 1
}

out=$("$gotk" dev up --state-dir "$state" --interval 1m --timeout 2m 2>&1)
rc=$?
printf '%s\n' "$out" | sed 's/^/  | /'
check "dev up exits 0" "[ $rc -eq 0 ]"
[ $rc -eq 0 ] || { tail -20 "$state"/logs/*.log; exit 1; }
check "flux-system Kustomization reconciled" "printf '%s\n' \"\$out\" | grep -q '✔ Kustomization reconciled successfully'"
check "applied objects listed" "printf '%s\n' \"\$out\" | grep -q 'Kustomization/flux-system/flux-system Ready at main@sha1:'"
for ks in flux-system infrastructure apps; do
  check "Kustomization $ks Ready" \
    "poll 90 \"[ \\\"\\\$(kget kustomization -n flux-system $ks -o jsonpath='{.status.conditions[?(@.type==\\\"Ready\\\")].status}')\\\" = True ]\""
done
check "namespace from infrastructure" "kget namespace apps >/dev/null"
check "deployment from apps, patched for cluster1" "[ \"\$(kget deployment -n apps podinfo -o jsonpath='{.spec.replicas}')\" = 1 ]"
check "site label" "[ \"\$(kget deployment -n apps podinfo -o jsonpath='{.metadata.labels.site}')\" = cluster1 ]"
check "postBuild substitution" "kget configmap -n apps -o yaml | grep -q 'GREETING: hello from cluster1'"
check "labels of the applier" "[ \"\$(kget deployment -n apps podinfo -o jsonpath='{.metadata.labels.kustomize\\.toolkit\\.fluxcd\\.io/name}')\" = apps ]"
check "files bootstrapped into the repository" "git clone -q http://127.0.0.1:\$(sed 's/.*git=//' \"$state/ports\")/demo.git \"$state/clone\" && ls \"$state/clone/clusters/cluster1/flux-system\" | tr '\n' ' ' | grep -qx 'gotk-components.yaml gotk-sync.yaml kustomization.yaml '"

out=$("$gotk" dev up --state-dir "$state" --timeout 1m 2>&1)
check "second dev up exits 0" "[ $? -eq 0 ]"
check "second dev up resumes" "printf '%s\n' \"\$out\" | grep -q 'control plane already running'"
check "second dev up commits nothing" "[ \$(printf '%s\n' \"\$out\" | grep -c 'are up to date') -eq 2 ]"

# a change in Git reaches the cluster
(cd "$state/clone" && sed -i 's/memory: 64Mi/memory: 96Mi/' apps/base/podinfo/deployment.yaml &&
  git -c user.name=t -c user.email=t@t commit -qam "raise memory" && git push -q origin HEAD:main)
now=$(date +%s)
kubectl annotate --overwrite -n flux-system gitrepository/flux-system reconcile.fluxcd.io/requestedAt="$now" >/dev/null
kubectl annotate --overwrite -n flux-system kustomization/apps reconcile.fluxcd.io/requestedAt="$now" >/dev/null
check "new commit applied" "poll 60 \"[ \\\"\\\$(kget deployment -n apps podinfo -o jsonpath='{.spec.template.spec.containers[0].resources.limits.memory}')\\\" = 96Mi ] || { kubectl annotate --overwrite -n flux-system kustomization/apps reconcile.fluxcd.io/requestedAt=\\\$(date +%s%N) >/dev/null; false; }\""

# the supervisor restarts a controller that dies
pid=$(pgrep -f "source-controller --kubeconfig $state" | head -1)
check "source-controller running" "[ -n \"$pid\" ]"
[ -n "$pid" ] && kill -9 "$pid"
check "source-controller restarted" "poll 20 \"pgrep -f 'source-controller --kubeconfig $state' | grep -vx '$pid' >/dev/null\""

out=$("$gotk" dev down --state-dir "$state" 2>&1)
check "dev down exits 0" "[ $? -eq 0 ]"
check "dev down stopped everything" "! pgrep -f \"$state\" >/dev/null"
exit $fail
