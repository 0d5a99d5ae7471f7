#!/usr/bin/env bash
# gotk create secret git over SSH against a real sshd (tests/servers): generated
# keys of each algorithm (the private key must be one ssh-keygen reads and the
# public key its own derivation), keys from --private-key-file (OpenSSH format,
# with a passphrase), known_hosts from the server, and an unreachable host.
set -u
command -v sshd >/dev/null && command -v ssh-keygen >/dev/null || { echo "no sshd/ssh-keygen; skipping"; exit 77; }
gotk="$GOTK_BUILD_ROOT/cli/gotk"
servers="$GOTK_TESTS_DIR/servers"
T=$(mktemp -d)
trap 'bash "$servers/stop.sh" "$T/srv" >/dev/null 2>&1; rm -rf "$T"' EXIT
fail=0
check() { if ! eval "$2"; then echo "FAIL: $1"; fail=1; fi; }
eval "$(bash "$servers/start-sshd.sh" "$T/srv" | grep -o 'PORT=[0-9]*')"
[ -n "${PORT:-}" ] || { echo "sshd did not start"; exit 1; }
url="ssh://git@127.0.0.1:$PORT/repo.git"

# field KEY < secret YAML: the stringData value (block or one line).
field() {
  awk -v k="$1" '
    $0 ~ "^  " k ": [|]" { inb = 1; next }
    inb && /^    / { sub(/^    /, ""); print; next }
    inb { exit }
    $0 ~ "^  " k ": " { sub("^  " k ": ", ""); gsub(/\047/, ""); print; exit }'
}

for algo in ecdsa rsa ed25519; do
  "$gotk" create secret git auth --url="$url" --ssh-key-algorithm=$algo --export >"$T/$algo.yaml" 2>"$T/err"
  check "$algo: exit 0 ($(cat "$T/err"))" "[ $? -eq 0 ]"
  field identity <"$T/$algo.yaml" >"$T/$algo.key"; chmod 600 "$T/$algo.key"
  field identity.pub <"$T/$algo.yaml" >"$T/$algo.pub"
  check "$algo: PKCS#8 PEM" "head -1 '$T/$algo.key' | grep -qx -- '-----BEGIN PRIVATE KEY-----'"
  if [ $algo = ed25519 ]; then
    # OpenSSH reads no PKCS#8 Ed25519 keys (nor flux's, which are the same): compare
    # the raw public key OpenSSL derives with the blob's last 32 bytes.
    check "$algo: public key derives from the private key" \
      "[ \"\$(openssl pkey -in '$T/$algo.key' -pubout -outform DER | tail -c 32 | base64)\" = \"\$(cut -d' ' -f2 '$T/$algo.pub' | base64 -d | tail -c 32 | base64)\" ]"
  else
    check "$algo: public key derives from the private key" \
      "[ \"\$(ssh-keygen -y -f '$T/$algo.key' | cut -d' ' -f1-2)\" = \"\$(cut -d' ' -f1-2 '$T/$algo.pub')\" ]"
  fi
done
check "ecdsa defaults to P-384" "grep -q '^ecdsa-sha2-nistp384 ' '$T/ecdsa.pub'"
check "rsa key" "grep -q '^ssh-rsa ' '$T/rsa.pub'"
kh=$(field known_hosts <"$T/ecdsa.yaml")
hostkey=$(cut -d' ' -f1-2 "$T/srv/ssh/ssh_host_ecdsa_key.pub")
check "known_hosts names [host]:port and the server's key" "[ \"\$kh\" = \"[127.0.0.1]:$PORT \$hostkey\" ]"
check "namespace and name" "grep -qx '  name: auth' '$T/ecdsa.yaml' && grep -qx '  namespace: flux-system' '$T/ecdsa.yaml'"

ssh-keygen -q -t ecdsa -N secret -f "$T/own" -C own
"$gotk" create secret git auth --url="$url" --private-key-file="$T/own" --password=secret --export >"$T/own.yaml"
check "own key: exit 0" "[ $? -eq 0 ]"
check "own key kept as it is" "[ \"\$(field identity <'$T/own.yaml')\" = \"\$(cat '$T/own')\" ]"
check "own key's public key" "[ \"\$(field identity.pub <'$T/own.yaml')\" = \"\$(cut -d' ' -f1-2 '$T/own.pub')\" ]"
check "password kept" "grep -qx '  password: secret' '$T/own.yaml'"

# Nothing listens on the port sshd had before: flux fails the same way.
bash "$servers/stop.sh" "$T/srv" >/dev/null 2>&1
err=$("$gotk" create secret git auth --url="$url" --export 2>&1 >/dev/null)
check "unreachable host exits 1" "[ $? -eq 1 ]"
check "unreachable host message" "[[ \"\$err\" == '✗ SSH key scan for host 127.0.0.1:$PORT failed, error: '* ]]"
exit $fail
