#!/usr/bin/env bash
# The commands that need no cluster: --help of every command (flux's text with
# gotk in place of flux), completion scripts (bash run for real; zsh and fish
# syntax-checked when installed), logs from a one-machine state directory, and
# one-line errors with exit 1 for unknown commands and flags; the static front
# `gotk` handing cluster commands (and helm's --enable-dns) to gotk-cluster.
set -u
gotk="$GOTK_BUILD_ROOT/cli/gotk"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail=0
check() { if ! eval "$2"; then echo "FAIL: $1"; fail=1; fi; }

# ---- --help ------------------------------------------------------------------------
while read -r cmd; do
  out=$($gotk $cmd --help 2>&1); rc=$?
  check "'$cmd --help' exits 0" "[ $rc -eq 0 ]"
  check "'$cmd --help' has a usage line" "grep -q '^Usage:' <<<\"\$out\""
  check "'$cmd --help' says gotk, not flux" "! grep -qw flux <<<\"\${out//flux-system/}\" || ! grep -q '^  flux ' <<<\"\$out\""
done <<'EOF'
get
get sources git
get kustomizations
get images all
get all
reconcile
reconcile source git
reconcile kustomization
reconcile helmrelease
reconcile image repository
reconcile image update
suspend kustomization
resume helmrelease
delete source helm
export source oci
events
tree kustomization
diff kustomization
build kustomization
check
uninstall
logs
completion
create source helm
create source oci
create source bucket
create helmrelease
create image policy
create image repository
create image update
create secret git
EOF
out=$($gotk --help)
for c in build check completion delete diff events export get logs reconcile resume suspend tree uninstall; do
  check "gotk --help lists $c" "grep -q '^  $c ' <<<\"\$out\""
done
check "reconcile help has an example" "$gotk reconcile kustomization --help | grep -q '  gotk reconcile kustomization podinfo'"
check "create hr help has the book example" "$gotk create helmrelease --help | grep -q -- '--chart-version=\">4.0.0\"'"

# ---- errors ------------------------------------------------------------------------
err=$($gotk frobnicate 2>&1); rc=$?
check "unknown command exits 1" "[ $rc -eq 1 ] && [ \"\$err\" = '✗ unknown command \"frobnicate\" for \"gotk\"' ]"
err=$($gotk get sources nope 2>&1); rc=$?
check "unknown get kind exits 1" "[ $rc -eq 1 ] && [ \"\$err\" = '✗ unknown command \"sources\" for \"gotk get\"' ]"
err=$($gotk reconcile kustomization 2>&1); rc=$?
check "reconcile without a name" "[ $rc -eq 1 ] && [ \"\$err\" = '✗ Kustomization name is required' ]"
err=$($gotk suspend source git --bogus 2>&1); rc=$?
check "unknown flag" "[ $rc -eq 1 ] && [ \"\$err\" = '✗ unknown flag: --bogus' ]"
err=$($gotk get all --watch 2>&1); rc=$?
check "get all --watch" "[ $rc -eq 1 ] && [ \"\$err\" = '✗ expected a single resource type, but found all' ]"
err=$($gotk tree kustomization 2>&1); rc=$?
check "tree without a name" "[ $rc -eq 1 ] && [ \"\$err\" = '✗ kustomization name is required' ]"

# ---- completion ----------------------------------------------------------------------
$gotk completion bash >"$T/gotk.bash"
complete_words() {  # complete_words WORD... : what bash completion offers after them
  bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _gotk; echo "${COMPREPLY[*]}"' _ "$T/gotk.bash" "$@"
}
check "bash: top level" "[ \"\$(complete_words gotk re)\" = 'reconcile resume' ]"
check "bash: get sources" "[ \"\$(complete_words gotk get sources '')\" = 'all bucket chart git helm oci' ]"
check "bash: flags skipped in the path" "[ \"\$(complete_words gotk -n x create image '')\" = 'policy repository update' ]"
check "bash: flags" "[ \"\$(complete_words gotk get --nam)\" = '--namespace' ]"
check "bash: registered" "grep -qx 'complete -o default -F _gotk gotk' '$T/gotk.bash'"
$gotk completion zsh >"$T/_gotk"
check "zsh: compdef header" "head -1 '$T/_gotk' | grep -qx '#compdef gotk'"
if command -v zsh >/dev/null; then check "zsh: syntax" "zsh -n '$T/_gotk'"; fi
$gotk completion fish >"$T/gotk.fish"
check "fish: subcommands" "grep -qF \"complete -c gotk -f -n '__gotk_path \\\"get sources\\\"' -a 'all bucket chart git helm oci'\" '$T/gotk.fish'"
if command -v fish >/dev/null; then check "fish: syntax" "fish -n '$T/gotk.fish'"; fi
err=$($gotk completion powershell 2>&1); rc=$?
check "unknown shell" "[ $rc -eq 1 ] && [ \"\$err\" = '✗ unknown command \"powershell\" for \"gotk completion\"' ]"

# ---- logs ---------------------------------------------------------------------------------
mkdir -p "$T/state/logs"
cat >"$T/state/logs/source-controller.log" <<'EOF'
{"level":"info","ts":"2026-01-01T00:00:00.000Z","msg":"stored artifact","controller":"gitrepository","name":"podinfo","namespace":"flux-system","reconcileID":"1"}
a line that is not JSON
{"level":"error","ts":"2026-01-01T00:00:02.000Z","msg":"fetch failed","controller":"gitrepository","name":"apps","namespace":"apps","error":"auth failed"}
EOF
cat >"$T/state/logs/kustomize-controller.log" <<'EOF'
{"level":"info","ts":"2026-01-01T00:00:01.000Z","msg":"server-side apply completed","controller":"kustomization","name":"flux-system","namespace":"flux-system"}
EOF
echo '{"level":"info","ts":"x","msg":"not a controller"}' >"$T/state/logs/apiserver.log"
out=$($gotk logs --state-dir "$T/state")
check "logs: flux-system only, formatted" "[ \"\$out\" = \"$(printf '%s\n' \
  '2026-01-01T00:00:01.000Z info Kustomization/flux-system.flux-system - server-side apply completed ' \
  '2026-01-01T00:00:00.000Z info GitRepository/podinfo.flux-system - stored artifact ')\" ]"
out=$($gotk logs --state-dir "$T/state" -A --level=error)
check "logs: -A --level=error" "[ \"\$out\" = '2026-01-01T00:00:02.000Z error GitRepository/apps.apps - fetch failed auth failed' ]"
out=$($gotk logs --state-dir "$T/state" -A --kind=kustomization --name=flux-system)
check "logs: --kind --name" "[ \$(wc -l <<<\"\$out\") -eq 1 ] && grep -q 'server-side apply completed' <<<\"\$out\""
err=$(cd "$T" && $gotk logs 2>&1); rc=$?
check "logs without a state dir exits 1" "[ $rc -eq 1 ]"
check "logs without a state dir says why" "grep -q 'pod logs, which gotk-apiserver does not serve' <<<\"\$err\""
# ---- the front and gotk-cluster ------------------------------------------------------
out=$($gotk get kustomizations --kubeconfig "$T/none" 2>&1); rc=$?
out2=$("$GOTK_BUILD_ROOT/cli/gotk-cluster" get kustomizations --kubeconfig "$T/none" 2>&1)
check "front: get is gotk-cluster's (same error, exit 1)" "[ $rc -eq 1 ] && [ \"\$out\" = \"\$out2\" ] && [ -n \"\$out\" ]"
mkdir -p "$T/alone" && cp "$gotk" "$T/alone/gotk"
out=$("$T/alone/gotk" version)
check "front alone: offline commands run" "[ \"\$out\" = \"\$($gotk version)\" ]"
err=$("$T/alone/gotk" get kustomizations 2>&1); rc=$?
check "front alone: a cluster command says gotk-cluster is missing" \
  "[ $rc -eq 1 ] && grep -q 'cannot run $T/alone/gotk-cluster: No such file or directory' <<<\"\$err\""
mkdir -p "$T/dns/templates"
printf 'apiVersion: v2\nname: dns\nversion: 1.0.0\n' >"$T/dns/Chart.yaml"
printf 'a: "{{ getHostByName "localhost" }}"\n' >"$T/dns/templates/cm.yaml"
out=$($gotk helm template r "$T/dns" | tail -1)
check "helm: getHostByName is empty without --enable-dns, as helm" "[ \"\$out\" = 'a: \"\"' ]"
out=$($gotk helm template r "$T/dns" --enable-dns | tail -1)
check "helm: --enable-dns resolves (in gotk-cluster)" "[ \"\$out\" = 'a: \"127.0.0.1\"' ] || [ \"\$out\" = 'a: \"::1\"' ]"
err=$($gotk helm template r "$T/dns" --validate 2>&1); rc=$?
check "helm: --validate fails, naming the cluster it needs" \
  "[ $rc -eq 1 ] && grep -q '^Error: Kubernetes cluster unreachable: --validate checks the manifests against a cluster' <<<\"\$err\""
exit $fail
