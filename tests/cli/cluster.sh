#!/usr/bin/env bash
# The operating commands against a real gotk-apiserver (no controllers: the test
# writes the objects' status itself through the status subresource, and plays
# the controller's part of a reconcile request in the background):
# check --pre on a bare server, get tables (exact), reconcile [--with-source],
# suspend/resume, export, events, tree, build, diff, get --watch, delete,
# uninstall leaving no CRD, object or finalizer behind.
# usage: cluster.sh GOTK_APISERVER
set -u
command -v kubectl >/dev/null || { echo "kubectl not installed; skipping"; exit 77; }
SERVER=$(realpath "${1:?usage: cluster.sh GOTK_APISERVER}")
gotk="$GOTK_BUILD_ROOT/cli/gotk"
# shellcheck source=../support/lib.sh
source "$GOTK_TESTS_DIR/support/lib.sh"
# same WHAT GOT WANT: exact comparison with a diff on failure.
same() { if [ "$2" != "$3" ]; then echo "FAIL: $1"; diff <(printf '%s\n' "$3") <(printf '%s\n' "$2"); fail=1; fi; }
start_apiserver "$SERVER"
k() { timeout 30 kubectl "$@"; }
g() { timeout 60 "$gotk" "$@"; }   # a hang fails the check instead of the whole test
status() { k -n "${4:-flux-system}" patch "$1" "$2" --subresource=status --type=merge -p "$3" >/dev/null; }
tab() { printf '%s\n' "$@"; }

# ---- check --pre on a bare server ------------------------------------------------
err=$(g check --pre 2>&1); rc=$?
check "check --pre on a bare server exits 1" "[ $rc -eq 1 ]"
check "check --pre says the server version is fine" "grep -qx '✔ Kubernetes 1.32.0+gotk >=1.32.0-0' <<<\"\$err\""
check "check --pre names a missing CRD" "grep -qx '✗ CRD kustomizations.kustomize.toolkit.fluxcd.io not found' <<<\"\$err\""
check "check --pre says gotk is missing" "grep -qx '✗ gotk is not installed: 10 of 10 CRDs missing (run gotk install or gotk bootstrap)' <<<\"\$err\""

k apply --server-side -f "$GOTK_SOURCE_ROOT/config/crd/bases" >/dev/null || { echo "applying the CRDs failed"; exit 1; }
k create namespace flux-system >/dev/null
err=$(g check 2>&1); rc=$?
check "check passes with the CRDs ($err)" "[ $rc -eq 0 ] && grep -qx '✔ all checks passed' <<<\"\$err\""
check "check lists a CRD with its version" "grep -qx '✔ helmreleases.helm.toolkit.fluxcd.io/v2' <<<\"\$err\""

# ---- objects and get -------------------------------------------------------------
g create source git podinfo --url=https://github.com/stefanprodan/podinfo --branch=master --export | k apply -f - >/dev/null
g create source helm bitnami --url=https://charts.bitnami.com/bitnami --export | k create -f - >/dev/null
g create kustomization podinfo --source=podinfo --path=./kustomize --target-namespace=default --export | k apply -f - >/dev/null

same "get sources git, not reconciled" "$(g get sources git)" "$(tab \
'NAME   	REVISION	SUSPENDED	READY	MESSAGE                 ' \
'podinfo	        	False    	False	waiting to be reconciled	')"

rev=main@sha1:67e2c98a60dc92283531412a9e604dd4bae005a9
status gitrepository podinfo "{\"status\":{\"observedGeneration\":1,\"artifact\":{\"revision\":\"$rev\",\"path\":\"p\",\"url\":\"http://x/p\",\"digest\":\"sha256:0\",\"lastUpdateTime\":\"2026-01-01T00:00:00Z\"},\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\",\"reason\":\"Succeeded\",\"message\":\"stored artifact for revision '$rev'\",\"lastTransitionTime\":\"2026-01-01T00:00:00Z\"}]}}"
status kustomization podinfo "{\"status\":{\"observedGeneration\":1,\"lastAppliedRevision\":\"$rev\",\"conditions\":[{\"type\":\"Ready\",\"status\":\"False\",\"reason\":\"BuildFailed\",\"message\":\"kustomize build failed\",\"lastTransitionTime\":\"2026-01-01T00:00:00Z\"}]}}"

same "get source git, ready, hex truncated" "$(g get source git)" "$(tab \
'NAME   	REVISION          	SUSPENDED	READY	MESSAGE                                          ' \
"podinfo	main@sha1:67e2c98a	False    	True 	stored artifact for revision 'main@sha1:67e2c98a'	")"
same "get sources git -A --no-header" "$(g get sources git -A --no-header)" \
  "flux-system	podinfo	main@sha1:67e2c98a	False	True	stored artifact for revision 'main@sha1:67e2c98a'	"
same "get kustomizations" "$(g get kustomizations)" "$(tab \
'NAME   	REVISION          	SUSPENDED	READY	MESSAGE               ' \
'podinfo	main@sha1:67e2c98a	False    	False	kustomize build failed	')"
same "get ks --show-source" "$(g get ks --show-source --no-header)" \
  'podinfo	GitRepository/flux-system/podinfo	main@sha1:67e2c98a	False	False	kustomize build failed	'
same "get ks --status-selector ready=false" "$(g get ks --status-selector ready=false --no-header)" \
  'podinfo	main@sha1:67e2c98a	False	False	kustomize build failed	'
same "get ks --status-selector ready=true is empty" "$(g get ks --status-selector ready=true --no-header)" ''
same "get all" "$(g get all)" "$(tab \
'NAME                 	REVISION          	SUSPENDED	READY	MESSAGE                                          ' \
"gitrepository/podinfo	main@sha1:67e2c98a	False    	True 	stored artifact for revision 'main@sha1:67e2c98a'	" \
'' \
'NAME                  	REVISION	SUSPENDED	READY	MESSAGE                 ' \
'helmrepository/bitnami	        	False    	False	waiting to be reconciled	' \
'' \
'NAME                 	REVISION          	SUSPENDED	READY	MESSAGE               ' \
'kustomization/podinfo	main@sha1:67e2c98a	False    	False	kustomize build failed	' \
'')"
err=$(g get helmreleases 2>&1); rc=$?
check "get hr with none exits 1" "[ $rc -eq 1 ]"
same "get hr with none" "$err" '✗ no HelmRelease objects found in "flux-system" namespace'
err=$(g get ks nope 2>&1)
same "get ks by a missing name" "$err" "✗ Kustomization object 'nope' not found in \"flux-system\" namespace"
err=$(g get images bogus 2>&1); rc=$?
check "get images bogus exits 1" "[ $rc -eq 1 ]"

# ---- reconcile ----------------------------------------------------------------------
# echo KIND NAME: play the controller: copy requestedAt into lastHandledReconcileAt.
echo_handled() {
  for _ in $(seq 1 100); do
    ts=$(k -n flux-system get "$1" "$2" -o jsonpath='{.metadata.annotations.reconcile\.fluxcd\.io/requestedAt}')
    if [ -n "$ts" ] && [ "$ts" != "${3:-}" ]; then
      status "$1" "$2" "{\"status\":{\"lastHandledReconcileAt\":\"$ts\"}}"
      echo "$ts"
      return
    fi
    sleep 0.05
  done
}
echo_handled gitrepository podinfo >"$T/ts1" &
bg=$!
err=$(g reconcile source git podinfo 2>&1); rc=$?
wait $bg
check "reconcile exits 0 ($err)" "[ $rc -eq 0 ]"
same "reconcile messages" "$err" "$(tab \
'► annotating GitRepository podinfo in flux-system namespace' \
'✔ GitRepository annotated' \
'◎ waiting for GitRepository reconciliation' \
"✔ fetched revision $rev")"
ts1=$(cat "$T/ts1")
check "requestedAt is RFC3339Nano ($ts1)" "[[ '$ts1' =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?Z$ ]]"

status kustomization podinfo '{"status":{"conditions":[{"type":"Ready","status":"True","reason":"ReconciliationSucceeded","message":"Applied revision","lastTransitionTime":"2026-01-01T00:00:00Z"}]}}'
(echo_handled gitrepository podinfo "$ts1" >/dev/null; echo_handled kustomization podinfo >/dev/null) &
bg=$!
err=$(g reconcile kustomization podinfo --with-source 2>&1); rc=$?
wait $bg
check "reconcile --with-source exits 0 ($err)" "[ $rc -eq 0 ]"
same "reconcile --with-source messages" "$err" "$(tab \
'► annotating GitRepository podinfo in flux-system namespace' \
'✔ GitRepository annotated' \
'◎ waiting for GitRepository reconciliation' \
"✔ fetched revision $rev" \
'► annotating Kustomization podinfo in flux-system namespace' \
'✔ Kustomization annotated' \
'◎ waiting for Kustomization reconciliation' \
"✔ applied revision $rev")"
err=$(g reconcile source git podinfo --timeout=1s 2>&1); rc=$?
check "reconcile without a controller times out" "[ $rc -eq 1 ] && [ \"\$(tail -1 <<<\"\$err\")\" = '✗ context deadline exceeded' ]"
g create source helm charts --url=oci://ghcr.io/stefanprodan/charts --export | k create -f - >/dev/null
same "reconcile of a static OCI HelmRepository" "$(g reconcile source helm charts 2>&1)" '✔ reconciliation not supported by the object'
k -n flux-system delete helmrepository charts >/dev/null
err=$(g reconcile source git nope 2>&1); rc=$?
check "reconcile of a missing object exits 1" "[ $rc -eq 1 ] && grep -q 'not found' <<<\"\$err\""

# ---- suspend / resume ------------------------------------------------------------------
err=$(g suspend source git podinfo 2>&1)
same "suspend messages" "$err" "$(tab '► suspending source git podinfo in flux-system namespace' '✔ source git suspended')"
check "suspended shows in get" "g get source git --no-header | grep -q $'\tTrue\tTrue\t'"
err=$(g reconcile source git podinfo 2>&1); rc=$?
same "reconcile of a suspended object" "$err" '✗ resource is suspended'
# the controller's part on resume: observe the new generation
( for _ in $(seq 1 100); do
    read -r gen sus < <(k -n flux-system get gitrepository podinfo -o jsonpath='{.metadata.generation} {.spec.suspend}')
    if [ "${sus:-}" != true ]; then status gitrepository podinfo "{\"status\":{\"observedGeneration\":$gen}}"; break; fi
    sleep 0.05
  done ) &
bg=$!
err=$(g resume source git podinfo 2>&1); rc=$?
wait $bg
check "resume exits 0 ($err)" "[ $rc -eq 0 ]"
same "resume messages" "$err" "$(tab \
'► resuming source git podinfo in flux-system namespace' \
'✔ source git resumed' \
'◎ waiting for GitRepository reconciliation' \
'✔ GitRepository podinfo reconciliation completed' \
"✔ fetched revision $rev")"

# ---- export -----------------------------------------------------------------------------
same "export source helm" "$(g export source helm bitnami)" "$(tab \
'---' \
'apiVersion: source.toolkit.fluxcd.io/v1' \
'kind: HelmRepository' \
'metadata:' \
'  name: bitnami' \
'  namespace: flux-system' \
'spec:' \
'  interval: 1m0s' \
'  provider: generic' \
'  url: https://charts.bitnami.com/bitnami')"
out=$(g export source git --all)
check "export --all has no status" "! grep -q '^status:' <<<\"\$out\" && grep -qx '  name: podinfo' <<<\"\$out\""
same "export without a name" "$(g export kustomization 2>&1)" '✗ name is required'

# ---- events -------------------------------------------------------------------------------
k create -f - >/dev/null <<EOF
apiVersion: v1
kind: Event
metadata: {name: podinfo.1, namespace: flux-system}
involvedObject: {kind: Kustomization, name: podinfo, namespace: flux-system, apiVersion: kustomize.toolkit.fluxcd.io/v1}
reason: ReconciliationSucceeded
message: Reconciliation finished
type: Normal
firstTimestamp: "$(date -u -d '-20 min' +%Y-%m-%dT%H:%M:%SZ)"
lastTimestamp: "$(date -u -d '-20 min' +%Y-%m-%dT%H:%M:%SZ)"
count: 1
source: {component: kustomize-controller}
EOF
k create -f - >/dev/null <<EOF
apiVersion: v1
kind: Event
metadata: {name: pod.1, namespace: flux-system}
involvedObject: {kind: Pod, name: x, namespace: flux-system, apiVersion: v1}
reason: Pulled
message: not a Flux object
type: Normal
firstTimestamp: "$(date -u -d '-1 min' +%Y-%m-%dT%H:%M:%SZ)"
lastTimestamp: "$(date -u -d '-1 min' +%Y-%m-%dT%H:%M:%SZ)"
count: 1
EOF
same "events" "$(g events)" "$(tab \
'LAST SEEN	TYPE  	REASON                 	OBJECT               	MESSAGE                ' \
'20m      	Normal	ReconciliationSucceeded	Kustomization/podinfo	Reconciliation finished	')"
same "events --for another object" "$(g events --for HelmRepository/bitnami 2>&1)" '✗ No events found in flux-system namespace.'
k create -f - >/dev/null <<EOF
apiVersion: v1
kind: Event
metadata: {name: gitrepo.1, namespace: flux-system}
involvedObject: {kind: GitRepository, name: podinfo, namespace: flux-system, apiVersion: source.toolkit.fluxcd.io/v1}
reason: NewArtifact
message: stored artifact
type: Normal
firstTimestamp: "$(date -u -d '-30 min' +%Y-%m-%dT%H:%M:%SZ)"
lastTimestamp: "$(date -u -d '-30 min' +%Y-%m-%dT%H:%M:%SZ)"
count: 1
EOF
same "events --for a Kustomization include its source's" "$(g events --for Kustomization/podinfo)" "$(tab \
'LAST SEEN	TYPE  	REASON                 	OBJECT               	MESSAGE                ' \
'30m      	Normal	NewArtifact            	GitRepository/podinfo	stored artifact        	' \
'20m      	Normal	ReconciliationSucceeded	Kustomization/podinfo	Reconciliation finished	')"
same "events --types Warning" "$(g events --types Warning 2>&1)" '✗ No events found in flux-system namespace.'
check "events -A shows the namespace" "g events -A | head -1 | grep -q '^NAMESPACE'"
same "events --for a bad kind" "$(g events --for Pod/x 2>&1)" "✗ 'Pod' is not a recognized Flux kind"

# ---- tree ---------------------------------------------------------------------------------
g create kustomization infra --source=podinfo --path=./infra --export | k apply -f - >/dev/null
status kustomization podinfo '{"status":{"inventory":{"entries":[{"id":"_apps__Namespace","v":"v1"},{"id":"apps_podinfo_apps_Deployment","v":"v1"},{"id":"flux-system_infra_kustomize.toolkit.fluxcd.io_Kustomization","v":"v1"},{"id":"flux-system_podinfo_source.toolkit.fluxcd.io_GitRepository","v":"v1"}]}}}'
status kustomization infra '{"status":{"inventory":{"entries":[{"id":"_cert-manager__Namespace","v":"v1"},{"id":"cert-manager_cert-manager_source.toolkit.fluxcd.io_HelmRepository","v":"v1"}]}}}'
same "tree kustomization" "$(g tree kustomization podinfo; echo END)" "$(tab \
'Kustomization/flux-system/podinfo' \
'├── Namespace/apps' \
'├── Deployment/apps/podinfo' \
'├── Kustomization/flux-system/infra' \
'│   ├── Namespace/cert-manager' \
'│   └── HelmRepository/cert-manager/cert-manager' \
'└── GitRepository/flux-system/podinfo' \
'' \
'END')"
same "tree --compact" "$(g tree ks podinfo --compact)" "$(tab \
'Kustomization/flux-system/podinfo' \
'├── Kustomization/flux-system/infra' \
'│   └── HelmRepository/cert-manager/cert-manager' \
'└── GitRepository/flux-system/podinfo')"

# ---- build and diff ------------------------------------------------------------------------
mkdir -p "$T/app"
cat >"$T/app/app.yaml" <<'EOF'
apiVersion: v1
kind: ConfigMap
metadata:
  name: app-config
data:
  env: ${cluster_env:=dev}
  region: ${region}
---
apiVersion: v1
kind: Secret
metadata:
  name: app-secret
stringData:
  token: ENC[AES256_GCM,data:uKiQR48=,type:str]
sops:
  version: 3.7.1
EOF
k -n flux-system patch kustomization podinfo --type=merge -p '{"spec":{"postBuild":{"substitute":{"region":"eu-1"}}}}' >/dev/null
same "build kustomization" "$(g build kustomization podinfo --path "$T/app")" "$(tab \
'apiVersion: v1' 'data:' '  env: dev' '  region: eu-1' 'kind: ConfigMap' 'metadata:' '  labels:' \
'    kustomize.toolkit.fluxcd.io/name: podinfo' '    kustomize.toolkit.fluxcd.io/namespace: flux-system' \
'  name: app-config' '  namespace: default' '---' \
'apiVersion: v1' 'kind: Secret' 'metadata:' '  labels:' \
'    kustomize.toolkit.fluxcd.io/name: podinfo' '    kustomize.toolkit.fluxcd.io/namespace: flux-system' \
'  name: app-secret' '  namespace: default' 'stringData:' "  token: '**SOPS**'" '---')"
same "build without --path" "$(g build kustomization podinfo 2>&1)" '✗ invalid resource path ""'
mkdir -p "$T/app/extra"
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: skipped\n' >"$T/app/extra/skip.yaml"
out=$(g build kustomization podinfo --path "$T/app")
check "build picks up files in subdirectories" "grep -qx '  name: skipped' <<<\"\$out\""
out=$(g build kustomization podinfo --path "$T/app" --ignore-paths=skip.yaml --progress-bar=false)
check "build --ignore-paths" "! grep -q skipped <<<\"\$out\" && grep -qx '  name: app-config' <<<\"\$out\""
rm -r "$T/app/extra"
sed -i '/^---$/,$d' "$T/app/app.yaml"   # the diff works on the ConfigMap alone

out=$(g diff kustomization podinfo --path "$T/app" 2>"$T/err"); rc=$?
check "diff with new objects exits 1" "[ $rc -eq 1 ]"
same "diff: created" "$out" '► ConfigMap/default/app-config created'
same "diff: warning" "$(cat "$T/err")" '⚠️ identified at least one change, exiting with non-zero exit code'
g build kustomization podinfo --path "$T/app" | k apply --server-side --field-manager=kustomize-controller -f - >/dev/null
out=$(g diff kustomization podinfo --path "$T/app" 2>&1); rc=$?
same "diff: nothing for the applied ConfigMap" "$out" ''
check "diff without changes exits 0" "[ $rc -eq 0 ]"
k -n flux-system patch kustomization podinfo --type=merge -p '{"spec":{"postBuild":{"substitute":{"region":"eu-2"}}}}' >/dev/null
out=$(g diff kustomization podinfo --path "$T/app" 2>/dev/null); rc=$?
same "diff: drifted" "$out" "$(tab '► ConfigMap/default/app-config drifted' '' 'data.region' '± value change' '- eu-1' '+ eu-2')"

# ---- get --watch -------------------------------------------------------------------------
g get source git --watch --timeout=3s >"$T/watch" 2>&1 &
wpid=$!
sleep 1
status gitrepository podinfo '{"status":{"conditions":[{"type":"Ready","status":"False","reason":"GitOperationFailed","message":"auth failed","lastTransitionTime":"2026-01-01T00:00:01Z"}]}}'
wait $wpid
check "watch prints the header once" "[ \$(grep -c '^NAME' '$T/watch') -eq 1 ]"
check "watch prints the current state" "grep -q $'^podinfo\tmain@sha1:67e2c98a\tFalse    \tTrue ' '$T/watch'"
check "watch prints the change" "grep -q 'auth failed' '$T/watch'"

# ---- delete ---------------------------------------------------------------------------------
err=$(g delete source helm bitnami </dev/null 2>&1); rc=$?
check "delete without a terminal or --silent aborts" "[ $rc -eq 1 ] && [ \"\$err\" = '✗ aborting' ]"
err=$(g delete source helm bitnami --silent 2>&1); rc=$?
same "delete --silent" "$err" "$(tab '► deleting source helm bitnami in flux-system namespace' '✔ source helm deleted')"
check "deleted" "! k -n flux-system get helmrepository bitnami >/dev/null 2>&1"

# ---- uninstall ------------------------------------------------------------------------------
k -n flux-system patch gitrepository podinfo --type=merge -p '{"metadata":{"finalizers":["finalizers.fluxcd.io"]}}' >/dev/null
k -n flux-system patch kustomization podinfo --type=merge -p '{"metadata":{"finalizers":["finalizers.fluxcd.io"]}}' >/dev/null
err=$(g uninstall </dev/null 2>&1); rc=$?
check "uninstall without --silent aborts" "[ $rc -eq 1 ] && [ \"\$err\" = '✗ aborting' ]"
err=$(timeout 60 "$gotk" uninstall --silent 2>&1); rc=$?
check "uninstall exits 0 ($err)" "[ $rc -eq 0 ]"
check "uninstall removed finalizers" "grep -qx '✔ GitRepository/flux-system/podinfo finalizers deleted ' <<<\"\$err\""
check "uninstall finished" "[ \"\$(tail -1 <<<\"\$err\")\" = '✔ uninstall finished' ]"
check "no gotk CRD left" "[ -z \"\$(k get crd -o name | grep toolkit.fluxcd.io)\" ]"
check "namespace gone" "! k get namespace flux-system >/dev/null 2>&1 || [ \"\$(k get namespace flux-system -o jsonpath='{.status.phase}')\" = Terminating ]"
err=$(g check --pre 2>&1); rc=$?
check "check --pre after uninstall fails again" "[ $rc -eq 1 ]"
exit $fail
