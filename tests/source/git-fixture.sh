#!/bin/bash
# Git servers and repositories for the source-controller tests, on 127.0.0.1.
#
#   git-fixture.sh start WD   start git smart HTTP (anonymous, basic auth,
#                             bearer token, HTTPS with a private CA; lighttpd +
#                             git-http-backend) and sshd from
#                             tests/servers, all serving WD/repos, build the
#                             fixture repository and write WD/fixture.env
#                             (URLs, ports, commit hashes, key paths)
#   git-fixture.sh commit WD BRANCH FILE TEXT MESSAGE
#                             push a new commit to BRANCH; prints its hash
#   git-fixture.sh stop WD    stop every server started here
#
# The fixture repository (repo.git): main with two commits (tag v1.0.0, annotated,
# on the first; v1.1.0 on the second), a branch feature/x, refs/pull/1/head, and
# a branch with-sub holding sub.git as a submodule at vendor/sub.
set -eu
CMD=$1 WD=$2
HERE=$(cd "$(dirname "$0")" && pwd)
SERVERS=$HERE/../servers
unset GIT_SSL_CAINFO SSL_CERT_FILE CURL_CA_BUNDLE GIT_DIR GIT_WORK_TREE
export GIT_TERMINAL_PROMPT=0 GIT_CONFIG_NOSYSTEM=1 HOME=$WD
g() { git -C "$WD/work" -c user.name=Tester -c user.email=tester@example.com "$@"; }

# start NAME SCRIPT [ENV...]: one server in WD/srv-NAME sharing WD/repos
start() {
  local name=$1 script=$2; shift 2
  mkdir -p "$WD/srv-$name"
  ln -sfn "$WD/repos" "$WD/srv-$name/repos"
  env "$@" "$SERVERS/$script" "$WD/srv-$name" >/dev/null
}

case $CMD in
start)
  mkdir -p "$WD/repos"
  git init -q --bare -b main "$WD/repos/repo.git"
  start http start-git-http.sh
  start auth start-git-http.sh AUTH=1 HTTP_USER=flux HTTP_PASS=s3cr3t-pass
  start ssh start-sshd.sh
  start tls start-git-http.sh TLS=1
  start bearer start-git-http-bearer.sh BEARER_TOKEN=t0k3n-value
  git init -q -b main "$WD/work"
  mkdir -p "$WD/work/deploy" "$WD/work/.github"
  echo "kind: Deployment" >"$WD/work/deploy/app.yaml"
  echo "# readme" >"$WD/work/README.md"
  echo "on: push" >"$WD/work/.github/ci.yaml"
  printf 'PNG' >"$WD/work/logo.png"
  g add -A && g commit -q -m "first commit"
  C1=$(g rev-parse HEAD)
  g tag -a v1.0.0 -m "release 1.0.0"
  echo "second" >"$WD/work/second.yaml"
  g add -A && g commit -q -m "second commit

with a body that is not part of the subject"
  C2=$(g rev-parse HEAD)
  g tag v1.1.0
  g checkout -q -b feature/x
  echo "feature" >"$WD/work/feature.yaml"
  g add -A && g commit -q -m "feature commit"
  C3=$(g rev-parse HEAD)
  g checkout -q main
  g push -q "$WD/repos/repo.git" main feature/x --tags
  g push -q "$WD/repos/repo.git" "$C3:refs/pull/1/head"
  # a branch with a submodule (sub.git over anonymous HTTP)
  git init -q --bare -b main "$WD/repos/sub.git"
  git init -q -b main "$WD/subwork"
  echo "from sub" >"$WD/subwork/sub.yaml"
  git -C "$WD/subwork" add -A
  git -C "$WD/subwork" -c user.name=T -c user.email=t@e commit -q -m sub
  git -C "$WD/subwork" push -q "$WD/repos/sub.git" main
  HTTP_BASE=$(. "$WD/srv-http/git-http.env"; echo "$BASE_URL")
  g checkout -q -b with-sub main
  g submodule add -q "$HTTP_BASE/sub.git" vendor/sub
  g commit -q -m "add submodule"
  g push -q "$WD/repos/repo.git" with-sub
  g checkout -q main
  . "$WD/srv-ssh/sshd.env"
  {
    echo "HTTP_URL=$(. "$WD/srv-http/git-http.env"; echo "$URL")"
    echo "AUTH_URL=$(. "$WD/srv-auth/git-http.env"; echo "$URL")"
    echo "SSH_URL=ssh://$SSH_USER@127.0.0.1:$PORT$WD/repos/repo.git"
    echo "TLS_URL=$(. "$WD/srv-tls/git-http.env"; echo "$URL")"
    echo "TLS_CA=$WD/srv-tls/tls/ca.crt"
    echo "BEARER_URL=$(. "$WD/srv-bearer/git-http-bearer.env"; echo "$URL")"
    echo "SSH_KEY=$WD/srv-ssh/ssh/id_ed25519"
    echo "SSH_KNOWN_HOSTS=$WD/srv-ssh/ssh/known_hosts"
    echo "C1=$C1"
    echo "C2=$C2"
    echo "C3=$C3"
  } >"$WD/fixture.env"
  ;;
commit)
  BRANCH=$3 FILE=$4 TEXT=$5 MSG=$6
  g checkout -q "$BRANCH"
  mkdir -p "$(dirname "$WD/work/$FILE")"
  printf '%s\n' "$TEXT" >"$WD/work/$FILE"
  g add -A && g commit -q -m "$MSG"
  g push -q "$WD/repos/repo.git" "$BRANCH"
  g rev-parse HEAD
  ;;
stop)
  for d in "$WD"/srv-*; do
    [ -d "$d" ] && "$SERVERS/stop.sh" "$d" >/dev/null 2>&1 || true
  done
  ;;
esac
