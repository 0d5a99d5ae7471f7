#!/usr/bin/env bash
# End to end with every real process: gotk-apiserver, source-controller and
# kustomize-controller, and a Git server over smart HTTP with basic auth
# (tests/servers). `gotk bootstrap git` into a fresh bare repository writes the
# three files of the cluster and returns with flux-system Ready; a second
# bootstrap changes nothing; a new commit is picked up by `gotk reconcile
# kustomization flux-system --with-source`; `gotk uninstall` leaves no gotk
# object, CRD or namespace behind.
# usage: bootstrap_e2e.sh GOTK_APISERVER SOURCE_CONTROLLER KUSTOMIZE_CONTROLLER
set -u
for b in "${1:-}" "${2:-}" "${3:-}"; do
  [ -x "$b" ] || { echo "controllers not built; skipping"; exit 77; }
done
command -v lighttpd >/dev/null && command -v kubectl >/dev/null || { echo "no lighttpd/kubectl; skipping"; exit 77; }
SERVER=$(realpath "$1") SC=$(realpath "$2") KC=$(realpath "$3")
gotk="$GOTK_BUILD_ROOT/cli/gotk"
servers="$GOTK_TESTS_DIR/servers"
# shellcheck source=../support/lib.sh
source "$GOTK_TESTS_DIR/support/lib.sh"
at_exit 'bash "$servers/stop.sh" "$T/git" >/dev/null 2>&1'
export GIT_TERMINAL_PROMPT=0

# Git over smart HTTP with basic auth; a fresh, empty bare repository, which
# bootstrap starts.
AUTH=1 bash "$servers/start-git-http.sh" "$T/git" >/dev/null || { echo "git server did not start"; exit 1; }
eval "$(grep -E '^(URL|HTTP_USER|HTTP_PASS|REPO_ROOT)=' "$T/git/git-http.env")"
check "the repository starts empty" "[ -z \"\$(git -C '$REPO_ROOT/repo.git' for-each-ref)\" ]"

start_apiserver "$SERVER"
start_controllers "$SC" "$KC"

boot() {
  "$gotk" bootstrap git --url="$URL" --branch=main --path=clusters/cluster1 \
    -u "$HTTP_USER" -p "$HTTP_PASS" --interval=1m --timeout=2m "$@" 2>&1
}
out=$(boot); rc=$?
printf '%s\n' "$out" | sed 's/^/  | /'
check "bootstrap exits 0" "[ $rc -eq 0 ]"
[ $rc -eq 0 ] || { tail -n 20 "$T/sc.log" "$T/kc.log"; exit 1; }
check "flux-system Kustomization reconciled" "grep -q '✔ Kustomization reconciled successfully' <<<\"\$out\""

git clone -q "http://$HTTP_USER:$HTTP_PASS@${URL#http://}" "$T/clone"
check "the three files of the cluster" \
  "[ \"\$(ls '$T/clone/clusters/cluster1/flux-system' | tr '\n' ' ')\" = 'gotk-components.yaml gotk-sync.yaml kustomization.yaml ' ]"
check "two commits (components, sync)" "[ \$(git -C '$T/clone' rev-list --count HEAD) -eq 2 ]"

out=$(boot); rc=$?
check "second bootstrap exits 0" "[ $rc -eq 0 ]"
check "second bootstrap: nothing to commit" "[ \$(grep -c 'are up to date' <<<\"\$out\") -eq 2 ]"
git -C "$T/clone" fetch -q origin
check "second bootstrap made no commit" "[ \$(git -C '$T/clone' rev-list --count origin/main) -eq 2 ]"

check "get kustomizations shows it Ready" "\"$gotk\" get ks --no-header | grep -q $'^flux-system\tmain@sha1:[0-9a-f]\{8\}\tFalse\tTrue\t'"

# a new commit, picked up at once by reconcile --with-source
cat >"$T/clone/clusters/cluster1/app.yaml" <<'EOF'
apiVersion: v1
kind: ConfigMap
metadata:
  name: e2e
  namespace: flux-system
data:
  hello: world
EOF
git -C "$T/clone" add -A
git -C "$T/clone" -c user.name=t -c user.email=t@t commit -qm "add a ConfigMap"
git -C "$T/clone" push -q origin HEAD:main
head=$(git -C "$T/clone" rev-parse HEAD)
out=$("$gotk" reconcile kustomization flux-system --with-source --timeout=1m 2>&1); rc=$?
printf '%s\n' "$out" | sed 's/^/  | /'
check "reconcile --with-source exits 0" "[ $rc -eq 0 ]"
check "source fetched the new commit" "grep -qx '✔ fetched revision main@sha1:$head' <<<\"\$out\""
check "kustomization applied the new commit" "grep -qx '✔ applied revision main@sha1:$head' <<<\"\$out\""
check "the ConfigMap is on the cluster" "[ \"\$(kubectl -n flux-system get configmap e2e -o jsonpath='{.data.hello}')\" = world ]"
check "tree lists it" "\"$gotk\" tree kustomization flux-system | grep -q 'ConfigMap/flux-system/e2e'"

# create without --export: a Git secret and a GitRepository using it, waited for
out=$("$gotk" create secret git fleet-auth --url="$URL" -u "$HTTP_USER" -p "$HTTP_PASS" 2>&1); rc=$?
check "create secret git exits 0" "[ $rc -eq 0 ]"
check "create secret git says so" "[ \"\$out\" = \"► git secret 'fleet-auth' created in 'flux-system' namespace\" ]"
check "the secret holds the credentials" "[ \"\$(kubectl -n flux-system get secret fleet-auth -o jsonpath='{.data.username}' | base64 -d)\" = '$HTTP_USER' ]"
out=$("$gotk" create source git fleet --url="$URL" --branch=main --secret-ref=fleet-auth --timeout=1m 2>&1); rc=$?
printf '%s\n' "$out" | sed 's/^/  | /'
check "create source git waits until Ready" "[ $rc -eq 0 ] && grep -q 'fetched revision.*main@sha1:$head' <<<\"\$out\""
check "get sources git lists both" "[ \$(\"$gotk\" get sources git --no-header | grep -c $'\tTrue\t') -eq 2 ]"

# a later bootstrap with other components updates them in Git and on the cluster
out=$(boot --components-extra=image-reflector-controller,image-automation-controller); rc=$?
check "bootstrap with extra components exits 0" "[ $rc -eq 0 ]"
check "new component manifests committed" "grep -q '✔ committed component manifests to \"main\"' <<<\"\$out\""
git -C "$T/clone" pull -q origin main
check "components file lists the extra ones" "grep -qx '# Components: source-controller,kustomize-controller,helm-controller,notification-controller,image-reflector-controller,image-automation-controller' '$T/clone/clusters/cluster1/flux-system/gotk-components.yaml'"
check "their CRDs are on the cluster" "kubectl get crd imagepolicies.image.toolkit.fluxcd.io >/dev/null 2>&1"
check "their Deployment is on the cluster" "kubectl get deployment -n flux-system image-automation-controller >/dev/null 2>&1"

# wrong credentials: one clear line, exit 1, no password in it
out=$("$gotk" bootstrap git --url="$URL" --branch=main --path=clusters/cluster1 -u "$HTTP_USER" -p wrong-pass --timeout=1m 2>&1); rc=$?
check "wrong password exits 1" "[ $rc -eq 1 ]"
check "wrong password says so" "grep -q '✗ failed to clone repository: .*authentication' <<<\"\$out\""
check "no password in the output" "! grep -q wrong-pass <<<\"\$out\""

out=$(timeout 120 "$gotk" uninstall --silent 2>&1); rc=$?
check "uninstall exits 0" "[ $rc -eq 0 ]"
check "uninstall finished" "[ \"\$(tail -1 <<<\"\$out\")\" = '✔ uninstall finished' ]"
check "no gotk CRD left" "[ -z \"\$(kubectl get crd -o name | grep toolkit.fluxcd.io)\" ]"
for r in clusterrole clusterrolebinding; do
  check "no $r left" "[ -z \"\$(kubectl get $r -l app.kubernetes.io/part-of=flux -o name)\" ]"
done
check "namespace gone" "! kubectl get namespace flux-system >/dev/null 2>&1"
exit $fail
