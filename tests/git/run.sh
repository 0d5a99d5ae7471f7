#!/bin/bash
# Integration tests of libgotk's git and artifact modules against real servers on
# 127.0.0.1: git smart HTTP (lighttpd + git-http-backend: anonymous, basic auth,
# bearer token, HTTPS with a private CA), git daemon, and sshd. The servers are
# started here and always stopped by the EXIT trap.
#
# usage: run.sh PATH/TO/git_driver
set -u
DRIVER=$1
HERE=$(cd "$(dirname "$0")" && pwd)
SERVERS=$HERE/../servers
unset GIT_SSL_CAINFO SSL_CERT_FILE CURL_CA_BUNDLE GIT_DIR GIT_WORK_TREE
export GIT_TERMINAL_PROMPT=0 GIT_CONFIG_NOSYSTEM=1 HOME=${TMPDIR:-/tmp}

WD=$(mktemp -d "${TMPDIR:-/tmp}/gotk-git-it.XXXXXX")
BG_PIDS=()
cleanup() {
  for p in "${BG_PIDS[@]}"; do
    grep -qs git_driver "/proc/$p/cmdline" && kill -KILL "$p" 2>/dev/null
  done
  for d in "$WD"/srv-*; do [ -d "$d" ] && "$SERVERS/stop.sh" "$d" >/dev/null 2>&1; done
  rm -rf "$WD"
}
trap cleanup EXIT

PASS=0 FAIL=0
ok()   { PASS=$((PASS + 1)); }
bad()  { FAIL=$((FAIL + 1)); echo "FAIL: $*" >&2; }
# field NAME OUTPUT: the value of NAME= in the driver's output
field() { printf '%s\n' "$2" | sed -n "s/^$1=//p" | head -1; }
# expect_field WHAT OUTPUT NAME WANT
expect_field() {
  local got; got=$(field "$3" "$2")
  if [ "$got" = "$4" ]; then ok; else bad "$1: $3='$got', want '$4' (output: $2)"; fi
}
# expect_error WHAT OUTPUT SUBSTRING [SECRET...]: error= contains SUBSTRING, no SECRET
expect_error() {
  local what=$1 out=$2 want=$3 err s; shift 3
  err=$(field error "$out")
  if [ -z "$err" ]; then bad "$what: no error (output: $out)"; return; fi
  case $err in *"$want"*) ok ;; *) bad "$what: error '$err' lacks '$want'" ;; esac
  for s in "$@"; do
    case $err in *"$s"*) bad "$what: error leaks a secret: $err" ;; *) ok ;; esac
  done
}
# has_file WHAT PATH / lacks_file WHAT PATH
has_file()  { if [ -e "$2" ]; then ok; else bad "$1: missing $2"; fi; }
lacks_file() { if [ -e "$2" ]; then bad "$1: unexpected $2"; else ok; fi; }
n=0
newdir() { n=$((n + 1)); printf -v "$1" %s "$WD/co-$n"; }

# ---- servers ------------------------------------------------------------------
start() { # start NAME SCRIPT [ENV...]: server in its own dir sharing $WD/repos
  local name=$1 script=$2; shift 2
  mkdir -p "$WD/srv-$name" "$WD/repos"
  ln -sfn "$WD/repos" "$WD/srv-$name/repos"
  if ! env "$@" "$SERVERS/$script" "$WD/srv-$name" >/dev/null; then
    echo "cannot start $name" >&2; exit 1
  fi
}
git init -q --bare -b main "$WD/repos/repo.git"
git init -q --bare -b main "$WD/repos/sub.git"
start http start-git-http.sh
start auth start-git-http.sh AUTH=1 HTTP_USER=flux HTTP_PASS=s3cr3t-pass
start bearer start-git-http-bearer.sh BEARER_TOKEN=t0k3n-value
start tls start-git-http.sh TLS=1
start mtls start-git-http.sh MTLS=1
# HTTPS whose certificate comes from an intermediate CA: the server sends the
# chain, ca.crt holds only the root.
make_chain() {
  local d=$1 ec="-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes"
  mkdir -p "$d" && cd "$d" || exit 1
  openssl req -x509 $ec -keyout root.key -out root.crt -days 2 -subj /CN=root \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign
  openssl req $ec -keyout int.key -out int.csr -subj /CN=intermediate
  printf 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign\n' >int.ext
  openssl x509 -req -in int.csr -CA root.crt -CAkey root.key -CAcreateserial -days 2 \
    -extfile int.ext -out int.crt
  openssl req $ec -keyout server.key -out server.csr -subj /CN=server
  printf 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n' >server.ext
  openssl x509 -req -in server.csr -CA int.crt -CAkey int.key -CAcreateserial -days 2 \
    -extfile server.ext -out leaf.crt
  cat leaf.crt int.crt >server.crt
  cat server.crt server.key >server.pem
  cp root.crt ca.crt
  cd - >/dev/null
}
make_chain "$WD/srv-chain/tls" >/dev/null 2>&1
start chain start-git-http.sh TLS=1
start daemon start-git-daemon.sh
start ssh start-sshd.sh
HTTP=$(. "$WD/srv-http/git-http.env"; echo "$URL")
AUTH=$(. "$WD/srv-auth/git-http.env"; echo "$URL")
BEARER=$(. "$WD/srv-bearer/git-http-bearer.env"; echo "$URL")
TLSURL=$(. "$WD/srv-tls/git-http.env"; echo "$URL")
CA=$WD/srv-tls/tls/ca.crt
MTLSURL=$(. "$WD/srv-mtls/git-http.env"; echo "$URL")
MCA=$WD/srv-mtls/tls/ca.crt MCRT=$WD/srv-mtls/tls/client.crt MKEY=$WD/srv-mtls/tls/client.key
DAEMON=$(. "$WD/srv-daemon/git-daemon.env"; echo "$URL")
SSHURL=$(. "$WD/srv-ssh/sshd.env"; echo "ssh://$SSH_USER@127.0.0.1:$PORT$WD/repos/repo.git")
SSHPORT=$(. "$WD/srv-ssh/sshd.env"; echo "$PORT")
KEY=$WD/srv-ssh/ssh/id_ed25519
KEY_ECDSA=$WD/srv-ssh/ssh/id_ecdsa
KH=$WD/srv-ssh/ssh/known_hosts

# ---- fixture repository ---------------------------------------------------------
W=$WD/work
git init -q -b main "$W"
g() { git -C "$W" -c user.name=Tester -c user.email=tester@example.com "$@"; }
mkdir -p "$W/deploy" "$W/.github/workflows"
echo "resources: [deploy/app.yaml]" >"$W/kustomization.yaml"
echo "kind: Deployment" >"$W/deploy/app.yaml"
echo "# readme" >"$W/README.md"
printf 'PNG' >"$W/logo.png"
echo "on: push" >"$W/.github/workflows/ci.yaml"
echo "version: 2" >"$W/.goreleaser.yml"
g add -A && g commit -q -m "first commit"
C1=$(g rev-parse HEAD)
g tag -a v1.0.0 -m "release 1.0.0"
echo "new" >"$W/new.yaml"
g add -A && g commit -q -m "second commit"
C2=$(g rev-parse HEAD)
g tag v1.1.0
g tag v2.0.0-rc.1
g tag not-a-version
g checkout -q -b feature/x
echo "feature" >"$W/feature.yaml"
g add -A && g commit -q -m "feature commit"
C3=$(g rev-parse HEAD)
g checkout -q -b ignored main
printf '/deploy\n*.md\n' >"$W/.sourceignore"
g add -A && g commit -q -m "add sourceignore"
# stream: what an archive made straight from Git must get right (exec bits,
# symlinks, names Git and the walk order differently, nested .sourceignore)
g checkout -q -b stream main
mkdir -p "$W/bin" "$W/a" "$W/sub"
printf '#!/bin/sh\n' >"$W/bin/run.sh"; chmod +x "$W/bin/run.sh"
ln -s new.yaml "$W/link.yaml"
echo x >"$W/a/x.yaml"; echo b >"$W/a.b"; echo c >"$W/a-c"; : >"$W/empty.yaml"
printf '*.tmp\n' >"$W/sub/.sourceignore"; echo t >"$W/sub/x.tmp"; echo k >"$W/sub/keep.yaml"
echo "*.log" >"$W/.gitignore"
g add -A && g commit -q -m "stream fixture"
# attrs: a checkout rewrites line ends, so only a checkout gives the bytes
g checkout -q -b attrs main
printf '*.txt text eol=crlf\n' >"$W/.gitattributes"; printf 'one\ntwo\n' >"$W/crlf.txt"
g add -A && g commit -q -m "attributes"
g checkout -q main 2>/dev/null
g push -q "$WD/repos/repo.git" main feature/x ignored stream attrs --tags
g push -q "$WD/repos/repo.git" "$C3:refs/pull/1/head"
# submodule fixture: sub.git, and a branch of repo.git that includes it over git://
S=$WD/subwork
git init -q -b main "$S"
echo "from sub" >"$S/sub.yaml"
git -C "$S" add -A && git -C "$S" -c user.name=T -c user.email=t@e commit -q -m sub
git -C "$S" push -q "$WD/repos/sub.git" main
g checkout -q -b with-sub main
g -c protocol.file.allow=always submodule add -q "${DAEMON%/repo.git}/sub.git" vendor/sub
g commit -q -m "add submodule"
g push -q "$WD/repos/repo.git" with-sub
g checkout -q main 2>/dev/null

co() { "$DRIVER" checkout "$@" 2>&1; }
# SSH runs tolerate libgit2 1.5.1's own leaks in its known_hosts code (see the
# suppression file); full unwinding lets the suppressions see libgit2's frames.
SSH_LSAN="suppressions=$HERE/lsan-libgit2-ssh.supp:print_suppressions=0"
SSH_ASAN="${ASAN_OPTIONS:-}:fast_unwind_on_malloc=0"
co_ssh() { ASAN_OPTIONS=$SSH_ASAN LSAN_OPTIONS=$SSH_LSAN "$DRIVER" checkout "$@" 2>&1; }

# ---- references ------------------------------------------------------------------
newdir d; out=$(co "$HTTP" "$d" --branch main)
expect_field "http branch" "$out" revision "main@sha1:$C2"
expect_field "http branch" "$out" unchanged 0
expect_field "http branch" "$out" message "second commit"
expect_field "http branch" "$out" author "Tester <tester@example.com>"
has_file "http branch" "$d/new.yaml"
has_file "http branch" "$d/deploy/app.yaml"
if [ "$(git -C "$d" rev-parse HEAD)" = "$C2" ]; then ok; else bad "HEAD of checkout"; fi

newdir d; out=$(co "$DAEMON" "$d" --branch feature/x)
expect_field "git:// branch with slash" "$out" revision "feature/x@sha1:$C3"
has_file "git:// branch" "$d/feature.yaml"

newdir d; out=$(co "$HTTP" "$d" --tag v1.0.0)
expect_field "annotated tag" "$out" revision "v1.0.0@sha1:$C1"
lacks_file "annotated tag" "$d/new.yaml"

newdir d; out=$(co "$HTTP" "$d" --tag v1.1.0)
expect_field "lightweight tag" "$out" revision "v1.1.0@sha1:$C2"

newdir d; out=$(co "$HTTP" "$d" --semver ">=1.0.0 <2.0.0")
expect_field "semver" "$out" revision "v1.1.0@sha1:$C2"
newdir d; out=$(co "$HTTP" "$d" --semver "~1.0")
expect_field "semver ~1.0" "$out" revision "v1.0.0@sha1:$C1"
newdir d; out=$(co "$HTTP" "$d" --semver ">=2.0.0-0")
expect_field "semver prerelease" "$out" revision "v2.0.0-rc.1@sha1:$C2"
newdir d; out=$(co "$HTTP" "$d" --semver "~5")
expect_error "semver no match" "$out" "no match found for semver: ~5"
newdir d; out=$(co "$HTTP" "$d" --semver "not a range")
expect_error "semver invalid" "$out" "semver parse error"

newdir d; out=$(co "$HTTP" "$d" --name refs/pull/1/head)
expect_field "name pull" "$out" revision "refs/pull/1/head@sha1:$C3"
has_file "name pull" "$d/feature.yaml"
newdir d; out=$(co "$HTTP" "$d" --name refs/tags/v1.0.0)
expect_field "name annotated tag" "$out" revision "refs/tags/v1.0.0@sha1:$C1"
newdir d; out=$(co "$HTTP" "$d" --name refs/heads/nope)
expect_error "name missing" "$out" "unable to resolve ref 'refs/heads/nope' to a specific commit"

newdir d; out=$(co "$HTTP" "$d" --commit "$C1")
expect_field "bare commit" "$out" revision "sha1:$C1"
has_file "bare commit" "$d/README.md"
lacks_file "bare commit" "$d/new.yaml"
newdir d; out=$(co "$HTTP" "$d" --commit "$C1" --branch main)
expect_field "commit on branch" "$out" revision "main@sha1:$C1"
newdir d; out=$(co "$HTTP" "$d" --commit "$C3" --branch main)
expect_error "commit not on branch" "$out" "unable to resolve commit object for '$C3'"
newdir d; out=$(co "$HTTP" "$d" --commit "$C1" --tag v1.1.0 --branch main)
expect_field "commit wins over tag" "$out" revision "main@sha1:$C1"
newdir d; out=$(co "$HTTP" "$d" --name refs/pull/1/head --tag v1.1.0 --semver "*")
expect_field "name wins over semver and tag" "$out" revision "refs/pull/1/head@sha1:$C3"
newdir d; out=$(co "$HTTP" "$d" --semver "1.0.0" --tag v1.1.0)
expect_field "semver wins over tag" "$out" revision "v1.0.0@sha1:$C1"

newdir d; out=$(co "$HTTP" "$d")
expect_error "default branch master" "$out" "unable to clone '$HTTP': couldn't find remote ref \"refs/heads/master\""
newdir d; out=$(co "$HTTP" "$d" --branch nope)
expect_error "branch not found" "$out" "unable to clone '$HTTP': couldn't find remote ref \"refs/heads/nope\""
newdir d; out=$(co "$HTTP" "$d" --tag v9)
expect_error "tag not found" "$out" "couldn't find remote ref \"refs/tags/v9\""

# ---- no change, new commit ---------------------------------------------------------
newdir d; out=$(co "$HTTP" "$d" --branch main --last "main@sha1:$C2")
expect_field "unchanged" "$out" unchanged 1
expect_field "unchanged" "$out" revision "main@sha1:$C2"
lacks_file "unchanged fetches nothing" "$d/kustomization.yaml"
newdir d; out=$(co "$HTTP" "$d" --branch main --last "main/$C2")
expect_field "unchanged, legacy revision" "$out" unchanged 1
newdir d; out=$(co "$HTTP" "$d" --tag v1.0.0 --last "v1.0.0@sha1:$C1")
expect_field "unchanged annotated tag" "$out" unchanged 1
newdir d; out=$(co "$HTTP" "$d" --semver "1.x" --last "v1.1.0@sha1:$C2")
expect_field "unchanged semver" "$out" unchanged 1

out=$("$DRIVER" resolve "$HTTP" --tag v1.0.0 2>&1)
expect_field "resolve without fetching" "$out" revision "v1.0.0@sha1:$C1"
expect_field "resolve without fetching" "$out" unchanged 0
out=$("$DRIVER" resolve "$DAEMON" --semver "1.x" --last "v1.1.0@sha1:$C2" 2>&1)
expect_field "resolve unchanged" "$out" unchanged 1
out=$("$DRIVER" resolve "$HTTP" --branch gone 2>&1)
expect_error "resolve missing branch" "$out" "couldn't find remote ref \"refs/heads/gone\""

# commit + push through the library (basic auth), then a new revision appears
newdir P; out=$(co "$AUTH" "$P" --branch main --user flux --pass s3cr3t-pass)
expect_field "auth checkout for push" "$out" revision "main@sha1:$C2"
echo "image: app:v2" >"$P/deploy/app.yaml"
rm "$P/README.md"
out=$("$DRIVER" push "$P" main "Update image" --user flux --pass s3cr3t-pass 2>&1)
C4=$(field commit "$out")
if [ -n "$C4" ] && [ "$(git --git-dir="$WD/repos/repo.git" rev-parse main)" = "$C4" ]; then ok; else bad "push: $out"; fi
out=$("$DRIVER" push "$P" main "Nothing" 2>&1)
expect_error "push without changes" "$out" "no changes to commit"
newdir d; out=$(co "$HTTP" "$d" --branch main --last "main@sha1:$C2")
expect_field "new commit" "$out" revision "main@sha1:$C4"
expect_field "new commit" "$out" unchanged 0
expect_field "new commit author" "$out" author "Flux Bot <flux@example.com>"
lacks_file "pushed deletion" "$d/README.md"
if grep -q "app:v2" "$d/deploy/app.yaml"; then ok; else bad "pushed content"; fi
# a stale checkout cannot rewrite the branch
newdir S2; out=$(co "$DAEMON" "$S2" --tag v1.1.0)
echo stale >"$S2/stale.yaml"
out=$("$DRIVER" push "$S2" main "stale" 2>&1)
expect_error "non-fast-forward push" "$out" "non-fast-forward"
if [ "$(git --git-dir="$WD/repos/repo.git" rev-parse main)" = "$C4" ]; then ok; else bad "stale push changed main"; fi
echo more >"$S2/more.yaml"
out=$("$DRIVER" push "$S2" stale-branch "to a new branch" 2>&1)
if [ -n "$(field commit "$out")" ]; then ok; else bad "push new branch over git://: $out"; fi

# ---- authentication ------------------------------------------------------------------
newdir d; out=$(co "$AUTH" "$d" --branch main --user flux --pass wrong-pass)
expect_error "basic wrong password" "$out" "authentication failed" wrong-pass
AUTHHOST=${AUTH#http://}
newdir d; out=$(co "http://flux:wrong-in-url@$AUTHHOST" "$d" --branch main)
expect_error "password in the URL is redacted" "$out" "unable to clone 'http://flux:xxxxx@$AUTHHOST'" wrong-in-url
newdir d; out=$(co "$AUTH" "$d" --branch main)
expect_error "basic no credentials" "$out" "unable to clone '$AUTH'"
newdir d; out=$(co "$BEARER" "$d" --branch main --bearer t0k3n-value)
expect_field "bearer" "$out" revision "main@sha1:$C4"
newdir d; out=$(co "$BEARER" "$d" --branch main --bearer wrong-t0k3n)
expect_error "bearer wrong token" "$out" "unable to clone '$BEARER'" wrong-t0k3n
newdir d; out=$(co "$BEARER" "$d" --branch main --bearer t --user u --pass p)
expect_error "bearer and basic" "$out" "basic auth and bearer token cannot be set at the same time"

newdir d; out=$(co "$TLSURL" "$d" --branch main --ca "$CA")
expect_field "https with ca.crt" "$out" revision "main@sha1:$C4"
CHAINURL=$(. "$WD/srv-chain/git-http.env"; echo "$URL")
newdir d; out=$(co "$CHAINURL" "$d" --branch main --ca "$WD/srv-chain/tls/root.crt")
expect_field "https via an intermediate CA" "$out" revision "main@sha1:$C4"
newdir d; out=$(co "$TLSURL" "$d" --branch main)
expect_error "https without ca.crt" "$out" "unable to clone '$TLSURL'"
OTHER=$WD/other-ca; mkdir -p "$OTHER"
openssl req -x509 -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
  -keyout "$OTHER/ca.key" -out "$OTHER/ca.crt" -days 1 -subj "/CN=other" >/dev/null 2>&1
newdir d; out=$(co "$TLSURL" "$d" --branch main --ca "$OTHER/ca.crt")
expect_error "https with the wrong CA" "$out" "tls: failed to verify certificate for '127.0.0.1'"

newdir d; out=$(co "$MTLSURL" "$d" --branch main --ca "$MCA" --tls-crt "$MCRT" --tls-key "$MKEY")
expect_field "https client certificate" "$out" revision "main@sha1:$C4"
newdir d; out=$(co "$MTLSURL" "$d" --branch main --ca "$MCA")
expect_error "https client certificate missing" "$out" "unable to clone '$MTLSURL'"
newdir d; out=$(co "$MTLSURL" "$d" --branch main --ca "$MCA" --tls-crt "$MCRT")
expect_error "tls.crt without tls.key" "$out" "'tls.crt' and 'tls.key' must be set together"
newdir d; out=$(co "$MTLSURL" "$d" --branch main --ca "$MCA" --tls-crt "$MCRT" --tls-key "$KEY_ECDSA")
expect_error "tls.key not matching" "$out" "invalid 'tls.key': it does not match 'tls.crt'"

newdir d; out=$(co_ssh "$SSHURL" "$d" --branch main --identity "$KEY" --known-hosts "$KH")
expect_field "ssh ed25519" "$out" revision "main@sha1:$C4"
has_file "ssh checkout" "$d/kustomization.yaml"
newdir d; out=$(co_ssh "$SSHURL" "$d" --tag v1.0.0 --identity "$KEY_ECDSA" --known-hosts "$KH")
expect_field "ssh ecdsa" "$out" revision "v1.0.0@sha1:$C1"
ssh-keygen -q -t ed25519 -N '' -f "$WD/stranger" -C stranger
newdir d; out=$(co_ssh "$SSHURL" "$d" --branch main --identity "$WD/stranger" --known-hosts "$KH")
STRANGER_B64=$(sed -n 2p "$WD/stranger")
expect_error "ssh wrong key" "$out" "authentication failed" "$STRANGER_B64"
printf 'otherhost %s\n' "$(cut -d' ' -f1,2 "$WD/stranger.pub")" >"$WD/kh-unknown"
newdir d; out=$(co_ssh "$SSHURL" "$d" --branch main --identity "$KEY" --known-hosts "$WD/kh-unknown")
expect_error "ssh unknown host" "$out" "knownhosts: key is unknown for host '[127.0.0.1]:$SSHPORT'"
ssh-keygen -q -t ed25519 -N '' -f "$WD/fakehost" -C fakehost
printf '[127.0.0.1]:%s %s\n' "$SSHPORT" "$(cut -d' ' -f1,2 "$WD/fakehost.pub")" >"$WD/kh-mismatch"
newdir d; out=$(co_ssh "$SSHURL" "$d" --branch main --identity "$KEY" --known-hosts "$WD/kh-mismatch")
expect_error "ssh host key mismatch" "$out" "knownhosts: key mismatch for host '[127.0.0.1]:$SSHPORT'"
cp "$KH" "$WD/kh-hashed" && ssh-keygen -q -H -f "$WD/kh-hashed" >/dev/null 2>&1
newdir d; out=$(co_ssh "$SSHURL" "$d" --branch main --identity "$KEY" --known-hosts "$WD/kh-hashed")
expect_field "ssh hashed known_hosts" "$out" revision "main@sha1:$C4"
sed 's/^[^ ]*/*/' "$KH" >"$WD/kh-wild"
newdir d; out=$(co_ssh "$SSHURL" "$d" --branch main --identity "$KEY" --known-hosts "$WD/kh-wild")
expect_field "ssh wildcard known_hosts" "$out" revision "main@sha1:$C4"
{ cat "$KH"; sed 's/^/@revoked /' "$KH"; } >"$WD/kh-revoked"
newdir d; out=$(co_ssh "$SSHURL" "$d" --branch main --identity "$KEY" --known-hosts "$WD/kh-revoked")
expect_error "ssh revoked host key" "$out" "knownhosts: key is revoked for host '[127.0.0.1]:$SSHPORT'"
sed 's/^\([^ ]*\)/!\1,\1/' "$KH" >"$WD/kh-negated"
newdir d; out=$(co_ssh "$SSHURL" "$d" --branch main --identity "$KEY" --known-hosts "$WD/kh-negated")
expect_error "ssh negated host pattern" "$out" "knownhosts: key is unknown for host"
newdir d; out=$(co_ssh "$SSHURL" "$d" --branch main --identity "$KEY")
expect_error "ssh without known_hosts" "$out" "'known_hosts' is required"
newdir d; out=$(co "root@127.0.0.1:$WD/repos/repo.git" "$d" --branch main)
expect_error "scp form" "$out" "write it as 'ssh://root@127.0.0.1/"
# push over SSH with the same credentials
newdir P2; out=$(co_ssh "$SSHURL" "$P2" --branch main --identity "$KEY" --known-hosts "$KH")
echo "via ssh" >"$P2/ssh.yaml"
out=$(ASAN_OPTIONS=$SSH_ASAN LSAN_OPTIONS=$SSH_LSAN "$DRIVER" push "$P2" main "ssh push" --identity "$KEY" --known-hosts "$KH" 2>&1)
C5=$(field commit "$out")
if [ -n "$C5" ] && [ "$(git --git-dir="$WD/repos/repo.git" rev-parse main)" = "$C5" ]; then ok; else bad "ssh push: $out"; fi

# ---- failures ---------------------------------------------------------------------------
FREE=$(( 20000 + RANDOM % 10000 ))
while (exec 3<>"/dev/tcp/127.0.0.1/$FREE") 2>/dev/null; do FREE=$((FREE + 1)); done
newdir d; out=$(co "http://127.0.0.1:$FREE/repo.git" "$d" --branch main)
expect_error "unreachable host" "$out" "unable to clone 'http://127.0.0.1:$FREE/repo.git': failed to connect to 127.0.0.1"
newdir d; out=$(co "${HTTP%/repo.git}/missing.git" "$d" --branch main)
expect_error "missing repository" "$out" "unable to clone"
newdir d; out=$(co "ftp://127.0.0.1/repo.git" "$d" --branch main)
expect_error "bad scheme" "$out" "scheme must be http, https, ssh or git"
newdir d; out=$(co "$HTTP" "$d" --branch main --timeout 1ns)
expect_error "timeout" "$out" "operation timed out after 1ns"

# a server that accepts and never answers: the deadline still holds
"$DRIVER" blackhole >"$WD/hole.out" 2>&1 &
HOLE_PID=$!; BG_PIDS+=("$HOLE_PID")
for _ in $(seq 100); do grep -q '^port=' "$WD/hole.out" && break; sleep 0.05; done
HOLE=$(field port "$(cat "$WD/hole.out")")
t0=$(date +%s%N)
newdir d; out=$(co "http://127.0.0.1:$HOLE/repo.git" "$d" --branch main --timeout 1s)
expect_error "silent http server" "$out" "operation timed out after 1s"
newdir d; out=$(co "https://127.0.0.1:$HOLE/repo.git" "$d" --branch main --timeout 1s)
expect_error "silent https server" "$out" "operation timed out after 1s"
newdir d; out=$(co "git://127.0.0.1:$HOLE/repo.git" "$d" --branch main --timeout 1s)
expect_error "silent git daemon" "$out" "operation timed out after 1s"
newdir d; out=$(co_ssh "ssh://git@127.0.0.1:$HOLE/repo.git" "$d" --branch main --timeout 1s --identity "$KEY" --known-hosts "$KH")
expect_error "silent ssh server" "$out" "operation timed out after 1s"
el=$(( ($(date +%s%N) - t0) / 1000000 ))
if [ "$el" -lt 12000 ]; then ok; else bad "timeouts took ${el}ms"; fi
kill -TERM "$HOLE_PID"; wait "$HOLE_PID" 2>/dev/null

# ---- submodules -----------------------------------------------------------------------------
newdir d; out=$(co "$HTTP" "$d" --branch with-sub --submodules)
has_file "submodule checked out" "$d/vendor/sub/sub.yaml"
newdir d; out=$(co "$HTTP" "$d" --branch with-sub)
lacks_file "submodule not requested" "$d/vendor/sub/sub.yaml"

# ---- artifacts: ignore rules, storage, HTTP server -------------------------------------------
newdir d; out=$(co "$HTTP" "$d" --tag v1.1.0)
out=$("$DRIVER" archive "$d" "$WD/a.tar.gz")
list=$("$DRIVER" list "$WD/a.tar.gz")
want='./
README.md
deploy/
deploy/app.yaml
kustomization.yaml
new.yaml'
if [ "$list" = "$want" ]; then ok; else bad "default exclusions: got
$list"; fi
out=$("$DRIVER" archive "$d" "$WD/b.tar.gz" --ignore '*.md')
list=$("$DRIVER" list "$WD/b.tar.gz")
want='./
.github/
.github/workflows/
.github/workflows/ci.yaml
.goreleaser.yml
deploy/
deploy/app.yaml
kustomization.yaml
logo.png
new.yaml'
if [ "$list" = "$want" ]; then ok; else bad "spec.ignore drops the defaults but VCS: got
$list"; fi
newdir d2; out=$(co "$HTTP" "$d2" --branch ignored)
out=$("$DRIVER" archive "$d2" "$WD/c.tar.gz")
list=$("$DRIVER" list "$WD/c.tar.gz" | tr '\n' ' ')
case $list in *deploy*|*README.md*) bad ".sourceignore: $list" ;; *.sourceignore*logo.png*) ok ;; *) bad ".sourceignore list: $list" ;; esac
# determinism: a second checkout of the same revision gives the same digest
newdir d3; co "$DAEMON" "$d3" --tag v1.1.0 >/dev/null
touch -d '2001-01-01' "$d3/new.yaml"; chmod 0664 "$d3/kustomization.yaml"
A1=$(field digest "$("$DRIVER" archive "$d" "$WD/x1.tar.gz")")
A2=$(field digest "$("$DRIVER" archive "$d3" "$WD/x2.tar.gz")")
if [ -n "$A1" ] && [ "$A1" = "$A2" ]; then ok; else bad "digest differs: $A1 $A2"; fi

# archives straight from Git: the bytes of the checkout's archive, streamed
# when nothing but a checkout can promise them
# from_git WHAT STREAMED IGNORE CHECKOUT-FLAGS...
from_git() {
  local what=$1 want=$2 d1 d2 a b iarg=(); shift 2
  [ -n "$1" ] && iarg=(--ignore "$1"); shift
  newdir d1; co "$HTTP" "$d1" "$@" >/dev/null
  a=$(field digest "$("$DRIVER" archive "$d1" "$WD/ck.tar.gz" "${iarg[@]}")")
  newdir d2; b=$("$DRIVER" archive-git "$HTTP" "$d2" "$WD/git.tar.gz" "${iarg[@]}" "$@" 2>&1)
  expect_field "$what: streamed" "$b" streamed "$want"
  if [ -n "$a" ] && [ "$a" = "$(field digest "$b")" ]; then ok; else bad "$what: $b, checkout's $a"; fi
  if [ "$want" = 1 ]; then lacks_file "$what: no work tree" "$d2/kustomization.yaml"; fi
}
from_git "tag" 1 "" --tag v1.1.0
from_git "stream fixture" 1 "" --branch stream
from_git "stream fixture, spec.ignore" 1 '*.md
/bin' --branch stream
from_git ".sourceignore" 1 "" --branch ignored
from_git "negation" 0 '!deploy/' --branch ignored
from_git "attributes" 0 "" --branch attrs
from_git "submodule" 0 "" --branch with-sub
out=$("$DRIVER" list "$WD/git.tar.gz" | tr '\n' ' ')
case $out in *vendor/sub/*) ok ;; *) bad "submodule directory kept: $out" ;; esac
newdir d; out=$("$DRIVER" archive-git "$HTTP" "$d" "$WD/git.tar.gz" --branch attrs)
mkdir -p "$WD/attrs" && tar -C "$WD/attrs" -xzf "$WD/git.tar.gz"
expect_field "attributes: streamed" "$out" streamed 0
if [ "$(od -c "$WD/attrs/crlf.txt" | head -1)" = "$(printf 'one\r\ntwo\r\n' | od -c | head -1)" ]; then ok
else bad "attributes applied: $(od -c "$WD/attrs/crlf.txt")"; fi

STORE=$WD/storage; REL=gitrepository/default/app/$C2.tar.gz
mkdir -p "$STORE/gitrepository/default/app"
out=$("$DRIVER" archive "$d" "$STORE/$REL")
DIGEST=$(field digest "$out"); SIZE=$(field size "$out")
"$DRIVER" serve "$STORE" >"$WD/serve.out" 2>&1 &
SERVE_PID=$!; BG_PIDS+=("$SERVE_PID")
for _ in $(seq 100); do grep -q '^port=' "$WD/serve.out" && break; sleep 0.05; done
SPORT=$(field port "$(cat "$WD/serve.out")")
curl -sf -o "$WD/dl.tar.gz" "http://127.0.0.1:$SPORT/$REL" && ok || bad "download artifact"
if [ "sha256:$(sha256sum "$WD/dl.tar.gz" | cut -d' ' -f1)" = "$DIGEST" ]; then ok; else bad "served digest"; fi
CL=$(curl -sI "http://127.0.0.1:$SPORT/$REL" | tr -d '\r' | sed -n 's/^Content-Length: //Ip')
if [ "$CL" = "$SIZE" ]; then ok; else bad "Content-Length $CL, want $SIZE"; fi
code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$SPORT/gitrepository/default/app/none.tar.gz")
if [ "$code" = 404 ]; then ok; else bad "404 for a missing artifact: $code"; fi
code=$(curl -s --path-as-is -o /dev/null -w '%{http_code}' "http://127.0.0.1:$SPORT/../../etc/passwd")
if [ "$code" = 404 ]; then ok; else bad "dot-dot: $code"; fi
out=$("$DRIVER" fetch "http://127.0.0.1:$SPORT/$REL" "$DIGEST" "$WD/fetched")
if [ "$out" = ok ] && [ -f "$WD/fetched/new.yaml" ]; then ok; else bad "fetch: $out"; fi
out=$("$DRIVER" fetch "http://127.0.0.1:$SPORT/$REL" "sha256:0000000000000000000000000000000000000000000000000000000000000000" "$WD/fetched2")
expect_error "fetch digest mismatch" "$out" "computed digest '$DIGEST' doesn't match 'sha256:0000"
kill -TERM "$SERVE_PID"; wait "$SERVE_PID" 2>/dev/null

echo "git integration: $PASS passed, $FAIL failed"
[ "$FAIL" = 0 ]
