#!/bin/bash
# usage: BEARER_TOKEN=tok start-git-http-bearer.sh WORKDIR
# git smart HTTP like start-git-http.sh, but every request must carry
# "Authorization: Bearer $BEARER_TOKEN" (lighttpd conditional + mod_access;
# anything else gets 403). Serves WORKDIR/repos; logs to WORKDIR/git-http-bearer.log.
source "$(dirname "$0")/lib.sh"
mkdir -p "$1"; WD=$(cd "$1" && pwd); N=git-http-bearer
mkdir -p "$WD/repos"
[ -d "$WD/repos/repo.git" ] || git init -q --bare -b main "$WD/repos/repo.git"
: "${BEARER_TOKEN:?set BEARER_TOKEN}"
lighttpd_prepare $N "$WD"

write_conf() {
  { lighttpd_base_conf $N "$WD" "$1" mod_access mod_alias mod_setenv mod_cgi; cat <<EOC
alias.url = ( "/" => "/usr/lib/git-core/git-http-backend/" )
cgi.assign = ( "" => "" )
setenv.set-environment = (
  "GIT_PROJECT_ROOT" => "$WD/repos",
  "GIT_HTTP_EXPORT_ALL" => "1",
  "GIT_CONFIG_COUNT" => "2",
  "GIT_CONFIG_KEY_0" => "http.receivepack", "GIT_CONFIG_VALUE_0" => "true",
  "GIT_CONFIG_KEY_1" => "safe.directory",   "GIT_CONFIG_VALUE_1" => "*"
)
\$REQUEST_HEADER["Authorization"] != "Bearer $BEARER_TOKEN" {
  url.access-deny = ( "" )
}
EOC
  } >"$WD/$N.conf"
}
extra_env() { echo "URL=http://127.0.0.1:$1/repo.git"; echo "REPO_ROOT=$WD/repos"; }
start_server $N "$WD" write_conf /usr/sbin/lighttpd -D -f "$WD/$N.conf"
