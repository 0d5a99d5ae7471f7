#!/bin/bash
# A Git repository over smart HTTP for the kustomize-controller chain test.
#
#   git-repo.sh start WD            start lighttpd + git-http-backend serving
#                                   WD/srv/repos/repo.git; prints its URL
#   git-repo.sh write WD FILE TEXT  commit FILE with TEXT on main and push
#   git-repo.sh rm WD FILE          commit the removal of FILE and push
#   git-repo.sh stop WD             stop the server
set -eu
CMD=$1 WD=$2
SERVERS=$(cd "$(dirname "$0")/../servers" && pwd)
unset GIT_SSL_CAINFO SSL_CERT_FILE CURL_CA_BUNDLE GIT_DIR GIT_WORK_TREE
export GIT_TERMINAL_PROMPT=0 GIT_CONFIG_NOSYSTEM=1 HOME=$WD
g() { git -C "$WD/work" -c user.name=Tester -c user.email=tester@example.com "$@"; }
push() { g add -A && g commit -q -m "$1" && g push -q "$WD/srv/repos/repo.git" main; }

case $CMD in
start)
  mkdir -p "$WD/srv"
  "$SERVERS/start-git-http.sh" "$WD/srv" >/dev/null
  git init -q -b main "$WD/work"
  echo "# deploy" >"$WD/work/README.md"
  push "initial commit"
  (. "$WD/srv/git-http.env"; echo "$URL")
  ;;
write)
  mkdir -p "$(dirname "$WD/work/$3")"
  printf '%s\n' "$4" >"$WD/work/$3"
  push "write $3"
  ;;
rm)
  g rm -q "$3"
  push "remove $3"
  ;;
stop)
  "$SERVERS/stop.sh" "$WD/srv" >/dev/null 2>&1 || true
  ;;
esac
