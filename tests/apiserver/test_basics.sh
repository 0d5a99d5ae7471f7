# basics: startup, kubeconfig, TLS, bearer tokens, version, discovery, health.
start_server
expect_eq "$(stat -c %a "$T/kubeconfig")" "600" "kubeconfig mode"
expect_eq "$(stat -c %a "$T/data/token")" "600" "token file mode"
expect_contains "$(cat "$T/kubeconfig")" "server: https://127.0.0.1:$PORT"

expect_eq "$(k version -o json | jq -r .serverVersion.gitVersion)" "v1.32.0+gotk" "server version"
expect_eq "$(raw GET /healthz)" "ok" "healthz"
expect_eq "$(raw GET /readyz)" "ok" "readyz"

# TLS verifies against the CA the kubeconfig carries (no insecure flag).
expect_eq "$(k get ns default -o jsonpath='{.status.phase}')" "Active" "default namespace"
expect_eq "$(k get ns -o name | sort | tr '\n' ' ')" \
  "namespace/default namespace/kube-node-lease namespace/kube-public namespace/kube-system " "namespaces"

# Wrong or missing token: 401 with a Status, and kubectl says so.
sed 's/token: .*/token: not-the-token/' "$T/kubeconfig" > "$T/bad.kubeconfig"
expect_fail kubectl --kubeconfig "$T/bad.kubeconfig" get configmaps
expect_contains "$OUT" "error: You must be logged in to the server (Unauthorized)"
body=$(curl -sk "https://127.0.0.1:$PORT/api/v1/namespaces")
expect_eq "$(jq -r '.kind + " " + .reason + " " + (.code|tostring)' <<<"$body")" "Status Unauthorized 401"

# api-resources lists the built-in kinds with short names and scope.
res=$(k api-resources --no-headers)
for line in "configmaps cm v1 true ConfigMap" "namespaces ns v1 false Namespace" \
            "deployments deploy apps/v1 true Deployment" \
            "customresourcedefinitions crd,crds apiextensions.k8s.io/v1 false CustomResourceDefinition" \
            "leases coordination.k8s.io/v1 true Lease" \
            "clusterroles rbac.authorization.k8s.io/v1 false ClusterRole" \
            "priorityclasses pc scheduling.k8s.io/v1 false PriorityClass" \
            "cronjobs cj batch/v1 true CronJob"; do
  got=$(awk -v n="${line%% *}" '$1==n' <<<"$res" | tr -s ' ')
  expect_eq "$got" "$line" "api-resources row"
done
expect_eq "$(k api-resources --api-group=apps -o name | sort | tr '\n' ' ')" \
  "daemonsets.apps deployments.apps replicasets.apps statefulsets.apps " "apps resources"
expect_eq "$(k api-versions | grep -c .)" "12" "api-versions count"

# one administrator who may do everything
expect_eq "$(k auth can-i create deployments -n kube-system)" "yes"
expect_eq "$(k auth whoami -o jsonpath='{.status.userInfo.username}')" "gotk-admin"
expect_fail k get selfsubjectaccessreviews
expect_contains "$OUT" "MethodNotAllowed"

# Same CA and token after a restart: the kubeconfig keeps working.
stop_server
start_server
expect_eq "$(k get ns default -o jsonpath='{.metadata.name}')" "default"
stop_server
