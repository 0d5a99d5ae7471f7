#!/usr/bin/env bash
# gotk install against gotk-apiserver: the components are applied (CRDs
# Established first); on gotk-apiserver, which runs no pods, it says so instead
# of waiting. With GOTK_INSTALL_VERIFY=1 it verifies the Deployments as on a real
# cluster: the test plays the kubelet by writing their status, and a Deployment
# that never rolls out fails after --timeout.
# usage: install_cluster.sh GOTK_APISERVER
set -u
command -v kubectl >/dev/null || { echo "kubectl not installed; skipping"; exit 77; }
SERVER=$(realpath "${1:?usage: install_cluster.sh GOTK_APISERVER}")
gotk="$GOTK_BUILD_ROOT/cli/gotk"
# shellcheck source=../support/lib.sh
source "$GOTK_TESTS_DIR/support/lib.sh"
start_apiserver "$SERVER"

out=$(timeout 60 "$gotk" install 2>&1); rc=$?
printf '%s\n' "$out" | sed 's/^/  | /'
check "install exits 0" "[ $rc -eq 0 ]"
check "install says why it does not wait" "grep -q 'gotk-apiserver runs no pods' <<<\"\$out\""
check "install finished" "[ \"\$(tail -1 <<<\"\$out\")\" = '✔ install finished' ]"
check "CRDs established" "kubectl wait --for=condition=Established crd/kustomizations.kustomize.toolkit.fluxcd.io --timeout=5s >/dev/null"
check "four controllers" "[ \$(kubectl get deployments -n flux-system -o name | wc -l) -eq 4 ]"

# verification as on a real cluster, with the test writing the rollout status
GOTK_INSTALL_VERIFY=1 timeout 60 "$gotk" install --timeout 30s >"$T/verify.out" 2>&1 &
vpid=$!
sleep 1
for d in $(kubectl get deployments -n flux-system -o name); do
  kubectl patch -n flux-system "$d" --subresource=status --type=merge \
    -p '{"status":{"observedGeneration":1,"replicas":1,"updatedReplicas":1,"readyReplicas":1,"availableReplicas":1}}' >/dev/null
done
wait $vpid; rc=$?
out=$(cat "$T/verify.out")
check "verified install exits 0" "[ $rc -eq 0 ]"
check "verifying installation" "grep -qx '◎ verifying installation' <<<\"\$out\""
check "each deployment ready" "[ \$(grep -c ': deployment ready$' <<<\"\$out\") -eq 4 ]"

# a Deployment that never rolls out
out=$(GOTK_INSTALL_VERIFY=1 timeout 60 "$gotk" install -n other --timeout 2s 2>&1); rc=$?
check "unready install exits 1" "[ $rc -eq 1 ]"
check "unready install names the deployment" "grep -q '^✗ .*deployment not ready after 2 seconds' <<<\"\$out\""
exit $fail
