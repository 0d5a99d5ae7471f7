# bad input: each a clear Kubernetes Status with the right code and reason,
# and the server keeps serving.
start_server
post() { raw POST /api/v1/namespaces/default/configmaps -H 'Content-Type: application/json' -d "$1"; }
status() { jq -r '.kind + " " + .reason + " " + (.code|tostring)' <<<"$1"; }

out=$(post '{"apiVersion": "v1", "kind": ')
expect_eq "$(status "$out")" "Status BadRequest 400" "malformed JSON"
expect_contains "$(jq -r .message <<<"$out")" "json parse error"
out=$(post '[1,2]')
expect_eq "$(status "$out")" "Status BadRequest 400" "not an object"
out=$(post '{"apiVersion":"v1","metadata":{"name":"x"}}')
expect_eq "$(jq -r .message <<<"$out")" "Object 'Kind' is missing in '{\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"x\"}}'"
out=$(post '{"apiVersion":"v1","kind":"ConfigMap","metadata":{}}')
expect_eq "$(status "$out")" "Status Invalid 422" "no name"
expect_eq "$(jq -r .message <<<"$out")" 'ConfigMap "" is invalid: metadata.name: Required value: name or generateName is required'
out=$(post '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"Bad_Name"}}')
expect_eq "$(status "$out")" "Status Invalid 422" "bad name"
expect_eq "$(jq -r '.details.causes[0].field' <<<"$out")" "metadata.name"
out=$(post '{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"x"}}')
expect_eq "$(status "$out")" "Status BadRequest 400" "wrong kind for endpoint"
out=$(raw POST /api/v1/namespaces/default/configmaps/x -H 'Content-Type: application/json' -d '{}')
expect_eq "$(status "$out")" "Status MethodNotAllowed 405"
out=$(raw GET /api/v1/namespaces/default/nosuchthings)
expect_eq "$(status "$out")" "Status NotFound 404" "unknown resource"
out=$(raw GET /apis/nope.example.com/v1)
expect_eq "$(status "$out")" "Status NotFound 404" "unknown group"
out=$(raw PATCH /api/v1/namespaces/default/configmaps/x -H 'Content-Type: text/plain' -d 'x')
expect_eq "$(status "$out")" "Status UnsupportedMediaType 415"

# protobuf bodies that do not decode
out=$(printf 'k8s\000\012\377\377garbage' | raw POST /api/v1/namespaces/default/configmaps \
  -H 'Content-Type: application/vnd.kubernetes.protobuf' --data-binary @-)
expect_eq "$(status "$out")" "Status UnsupportedMediaType 415" "bad protobuf"
out=$(printf 'nomagic' | raw POST /api/v1/namespaces/default/configmaps \
  -H 'Content-Type: application/vnd.kubernetes.protobuf' --data-binary @-)
expect_contains "$(jq -r .message <<<"$out")" "without the k8s magic prefix"

# random bodies (protobuf with the magic, and JSON-ish bytes) never crash it
for i in $(seq 1 40); do
  { printf 'k8s\000'; head -c $((RANDOM % 300)) /dev/urandom; } > rnd.bin
  code=$(raw POST /api/v1/namespaces/default/configmaps -o /dev/null -w '%{http_code}' \
    -H 'Content-Type: application/vnd.kubernetes.protobuf' --data-binary @rnd.bin)
  case "$code" in 4??) ;; *) fail "random protobuf body $i: HTTP $code" ;; esac
  { printf '{"apiVersion":"v1","kind":"ConfigMap","metadata":'; head -c $((RANDOM % 100)) /dev/urandom; } > rnd.json
  code=$(raw PATCH /api/v1/namespaces/default/configmaps/x -o /dev/null -w '%{http_code}' \
    -H 'Content-Type: application/strategic-merge-patch+json' --data-binary @rnd.json)
  case "$code" in 4??) ;; *) fail "random patch body $i: HTTP $code" ;; esac
done
expect_eq "$(raw GET /healthz)" "ok" "alive after random bodies"

# YAML bodies (application/yaml, apply-patch+yaml), good and malformed
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: yml\ndata:\n  a: "1"\n' > good.yaml
out=$(raw POST /api/v1/namespaces/default/configmaps -H 'Content-Type: application/yaml' --data-binary @good.yaml)
expect_eq "$(jq -r '.metadata.name + " " + .data.a' <<<"$out")" "yml 1" "YAML create"
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: yml\ndata: {a: [\n' > broken.yaml
out=$(raw PATCH '/api/v1/namespaces/default/configmaps/yml?fieldManager=t' \
  -H 'Content-Type: application/apply-patch+yaml' --data-binary @broken.yaml)
expect_eq "$(status "$out")" "Status BadRequest 400" "malformed YAML"
expect_contains "$(jq -r .message <<<"$out")" "yaml parse error: <input>:6:1:"

# generateName
out=$(post '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"generateName":"gen-"}}')
[[ "$(jq -r .metadata.name <<<"$out")" =~ ^gen-[a-z0-9]{5}$ ]] || fail "generateName: $out"
# AlreadyExists
post '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"dup"}}' >/dev/null
out=$(post '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"dup"}}')
expect_eq "$(status "$out")" "Status AlreadyExists 409"
expect_eq "$(jq -r .message <<<"$out")" 'configmaps "dup" already exists'

# kubectl's view of bad input
printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: UPPER\n' > bad.yaml
expect_fail k apply -f bad.yaml
expect_contains "$OUT" 'The ConfigMap "UPPER" is invalid: metadata.name: Invalid value: "UPPER": a lowercase RFC 1123 subdomain'
printf 'apiVersion: example.com/v1\nkind: Unknown\nmetadata:\n  name: u\n' > unknown.yaml
expect_fail k apply -f unknown.yaml
expect_contains "$OUT" 'no matches for kind "Unknown" in version "example.com/v1"'
expect_fail k get cm missing
expect_eq "$OUT" 'Error from server (NotFound): configmaps "missing" not found'

# large bodies are refused, and the server still serves
head -c 4000000 /dev/zero | tr '\0' 'a' > big.txt
out=$(raw POST /api/v1/namespaces/default/configmaps -H 'Content-Type: application/json' --data-binary @big.txt)
expect_eq "$(status "$out")" "Status RequestEntityTooLarge 413"
expect_eq "$(k get cm dup -o name)" "configmap/dup" "still serving"
stop_server
