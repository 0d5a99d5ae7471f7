#!/usr/bin/env bash
# gotk bootstrap git over SSH (real sshd, gotk-apiserver and both controllers):
# without --private-key-file it generates an ECDSA P-384 deploy key, prints its
# public key and stores it (with the server's known_hosts) in the flux-system
# Secret; once the key is given access (the test plays the user adding a deploy
# key), running bootstrap again reuses that key and completes into the empty
# repository. A --private-key-file bootstrap of a second cluster works as well.
# usage: bootstrap_ssh.sh GOTK_APISERVER SOURCE_CONTROLLER KUSTOMIZE_CONTROLLER
set -u
for b in "${1:-}" "${2:-}" "${3:-}"; do
  [ -x "$b" ] || { echo "controllers not built; skipping"; exit 77; }
done
[ -x /usr/sbin/sshd ] && command -v kubectl >/dev/null || { echo "no sshd/kubectl; skipping"; exit 77; }
SERVER=$(realpath "$1") SC=$(realpath "$2") KC=$(realpath "$3")
gotk="$GOTK_BUILD_ROOT/cli/gotk"
servers="$GOTK_TESTS_DIR/servers"
# shellcheck source=../support/lib.sh
source "$GOTK_TESTS_DIR/support/lib.sh"
at_exit 'bash "$servers/stop.sh" "$T/ssh" >/dev/null 2>&1'
# libgit2 1.5.1 leaks a little on every SSH connection (not ours; see the file)
export LSAN_OPTIONS="suppressions=$GOTK_TESTS_DIR/source/lsan-libgit2.supp"
export ASAN_OPTIONS="$ASAN_OPTIONS:fast_unwind_on_malloc=0"

bash "$servers/start-sshd.sh" "$T/ssh" >/dev/null || { echo "sshd did not start"; exit 1; }
eval "$(grep -E '^(URL|KEY_ECDSA)=' "$T/ssh/sshd.env")"
AUTH_KEYS="$T/ssh/ssh/authorized_keys"

start_apiserver "$SERVER"
start_controllers "$SC" "$KC"

boot() { "$gotk" bootstrap git --url="$URL" --branch=main --path=clusters/edge-1 --timeout=2m "$@" 2>&1; }

# 1. a new deploy key: printed and stored; the server does not know it yet
out=$(boot --silent); rc=$?
printf '%s\n' "$out" | sed 's/^/  | /'
check "first run fails until the key has access" "[ $rc -eq 1 ]"
pub=$(sed -n 's/^✔ public key: //p' <<<"$out")
check "an ECDSA P-384 public key is printed" "[[ \"\$pub\" == ecdsa-sha2-nistp384\ * ]]"
secret_key() { kubectl get secret -n flux-system flux-system -o "jsonpath={.data.$1}" | base64 -d; }
check "the Secret holds the identity" "secret_key identity | grep -q 'PRIVATE KEY'"
stored_pub=$(secret_key 'identity\.pub' | tr -d '\n')
check "the Secret holds identity.pub" "[ \"\$stored_pub\" = \"\$pub\" ]"
check "the Secret holds the host key" "secret_key known_hosts | grep -q '^\[127.0.0.1\]:[0-9]* '"

# 2. the user adds the deploy key; bootstrap again reuses it
echo "$pub" >>"$AUTH_KEYS"
out=$(boot --silent); rc=$?
printf '%s\n' "$out" | sed 's/^/  | /'
check "second run exits 0" "[ $rc -eq 0 ]"
check "the stored key is reused" "grep -q 'using the deploy key of secret \"flux-system/flux-system\"' <<<\"\$out\""
check "flux-system Kustomization reconciled" "grep -q '✔ Kustomization reconciled successfully' <<<\"\$out\""
check "GitRepository fetched over SSH" "[ \"\$(kubectl get gitrepository -n flux-system flux-system -o jsonpath='{.status.artifact.revision}' | cut -c1-10)\" = main@sha1: ]"

# 3. --private-key-file: the user's key for Git and for the Secret
out=$("$gotk" bootstrap git --url="$URL" --branch=main --path=clusters/edge-2 --timeout=2m \
      --private-key-file="$KEY_ECDSA" --secret-name=edge-2 -n flux-system 2>&1); rc=$?
printf '%s\n' "$out" | sed 's/^/  | /'
check "private-key-file bootstrap exits 0" "[ $rc -eq 0 ]"
check "no key generated with a key file" "! grep -q 'public key:' <<<\"\$out\""

# bad input: a key file that does not exist
out=$("$gotk" bootstrap git --url="$URL" --path=x --private-key-file="$T/nope" 2>&1); rc=$?
check "missing key file exits 1" "[ $rc -eq 1 ]"
check "missing key file message" "grep -q \"unable to read private key file\" <<<\"\$out\""
exit $fail
