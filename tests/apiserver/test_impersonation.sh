# impersonation (Impersonate-User/-Group/-Uid/-Extra-*) as a real server does
# it for cluster-admin, observed through `kubectl auth whoami` and the audit
# log (--audit-log-path, audit.k8s.io/v1 Events at level Metadata).
start_server --audit-log-path "$T/audit.log"
SA=system:serviceaccount:apps:deployer
last() { # last audit event matching a jq filter
  jq -c "select($1)" "$T/audit.log" | tail -n 1
}
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: imp}\ndata: {a: "1"}\n' > cm.yaml
expect_eq "$(k --as=$SA --as-group=team-a --as-group=team-b apply --server-side -f cm.yaml)" "configmap/imp serverside-applied"
ev=$(last '.verb == "patch" and .objectRef.name == "imp"')
expect_eq "$(jq -c '[.kind, .apiVersion, .level, .stage, .user.username, .impersonatedUser, .objectRef, .responseStatus.code]' <<<"$ev")" \
  '["Event","audit.k8s.io/v1","Metadata","ResponseComplete","gotk-admin",{"username":"system:serviceaccount:apps:deployer","groups":["team-a","team-b","system:authenticated"]},{"resource":"configmaps","namespace":"default","name":"imp","apiVersion":"v1"},201]'
expect_contains "$(jq -r .requestURI <<<"$ev")" "/api/v1/namespaces/default/configmaps/imp?fieldManager=kubectl"
for f in requestReceivedTimestamp stageTimestamp; do
  [[ "$(jq -r .$f <<<"$ev")" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z$ ]] || fail "$f: $(jq -r .$f <<<"$ev")"
done
expect_eq "$(jq -c '[.sourceIPs, .annotations["authorization.k8s.io/decision"], (.auditID|length)]' <<<"$ev")" '[["127.0.0.1"],"allow",36]'
expect_contains "$(jq -r .userAgent <<<"$ev")" "kubectl/"

# a service account without groups gets its service account groups
expect_eq "$(k --as=$SA auth whoami -o jsonpath='{.status.userInfo.username} {.status.userInfo.groups}')" \
  "$SA [\"system:serviceaccounts\",\"system:serviceaccounts:apps\",\"system:authenticated\"]"
# uid and extras; verbs get, list, create, delete, watch
raw GET /api/v1/namespaces/default/configmaps/imp -H 'Impersonate-User: jane' -H 'Impersonate-Uid: 42' \
  -H 'Impersonate-Extra-Scopes: view' -H 'Impersonate-Extra-Scopes: edit' >/dev/null
expect_eq "$(last '.verb == "get" and .objectRef.name == "imp"' | jq -c .impersonatedUser)" \
  '{"username":"jane","uid":"42","groups":["system:authenticated"],"extra":{"scopes":["view","edit"]}}'
k get cm >/dev/null
expect_eq "$(last '.verb == "list"' | jq -c '[.objectRef, .impersonatedUser]')" '[{"resource":"configmaps","namespace":"default","apiVersion":"v1"},null]'
k create cm made >/dev/null
expect_eq "$(last '.verb == "create"' | jq -c '[.objectRef.name, .responseStatus.code]')" '["made",201]'
k delete cm made >/dev/null
expect_eq "$(last '.verb == "delete"' | jq -c '[.objectRef.name, .responseStatus.code]')" '["made",200]'
raw GET '/apis/apps/v1/namespaces/default/deployments?watch=1&timeoutSeconds=1' >/dev/null
for _ in $(seq 1 100); do # the end is logged once the server has closed the stream
  [ "$(jq -c 'select(.verb == "watch")' "$T/audit.log" | wc -l)" -ge 2 ] && break
  sleep 0.05
done
expect_eq "$(jq -c 'select(.verb == "watch") | [.stage, .objectRef.apiGroup, .objectRef.resource, .responseStatus.code]' "$T/audit.log")" \
  '["ResponseStarted","apps","deployments",200]
["ResponseComplete","apps","deployments",200]' "a watch's start and end"
expect_eq "$(jq -r 'select(.verb == "watch") | .auditID' "$T/audit.log" | uniq | wc -l)" "1" "one auditID for both"
k get --raw /version >/dev/null
expect_eq "$(last '.requestURI == "/version"' | jq -c '[.verb, .objectRef]')" '["get",null]'
expect_fail k get cm nope
expect_eq "$(last '.verb == "get" and .objectRef.name == "nope"' | jq -c .responseStatus.code)" '404'

# groups, uid or extras without a user: refused as the real server refuses
out=$(raw GET /api/v1/namespaces/default/configmaps -H 'Impersonate-Group: team-a' -H 'Impersonate-Uid: 7' -w '\n%{http_code} %{content_type}')
expect_eq "$out" 'Internal Server Error: "/api/v1/namespaces/default/configmaps": requested [{Group  team-a  authentication.k8s.io/v1  } {UID  7  authentication.k8s.io/v1  }] without impersonating a user

500 text/plain; charset=utf-8'
out=$(raw GET /api/v1/namespaces/default/configmaps -H 'Impersonate-Extra-Reason: x' -w '\n%{http_code}')
expect_contains "$out" 'requested [{UserExtra  x  authentication.k8s.io/v1  reason}] without impersonating a user'
expect_eq "$(last '.responseStatus.code == 500' | jq -c '[.verb, .impersonatedUser, .user.username]')" '["get",null,"gotk-admin"]'
# a wrong token is logged too, without a user
curl -sk -H 'Authorization: Bearer wrong' "https://127.0.0.1:$PORT/api/v1/namespaces" >/dev/null
expect_eq "$(last '.responseStatus.code == 401' | jq -c '[.user, .annotations]')" '[null,null]'
stop_server

# "-" logs to standard output, after the listening line
start_server --audit-log-path -
k get ns default >/dev/null
for _ in $(seq 1 100); do grep -q '"verb":"get"' "$T/server.out" && break; sleep 0.05; done
expect_eq "$(grep '^{' "$T/server.out" | jq -r 'select(.verb == "get") | .objectRef.resource + "/" + .objectRef.name' | tail -n 1)" "namespaces/default"
stop_server

# a log that cannot be opened stops the server at startup
expect_fail "$SERVER" --data-dir "$T/data2" --listen 127.0.0.1:0 --audit-log-path "$T/no/such/dir/audit.log"
expect_contains "$OUT" "gotk-apiserver: opening the audit log $T/no/such/dir/audit.log: No such file or directory"
