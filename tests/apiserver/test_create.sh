# kubectl create / run: kubectl's typed clients send protobuf; what the server
# stores must equal what the same command prints with --dry-run=client.
start_server
same() { # what, kubectl args...: compare the stored object with the client's
  local what=$1; shift
  local want got
  want=$(k "$@" --dry-run=client -o json | jq -S "$what")
  expect_eq "$(k "$@") (dry run)" "$(k "$@" --dry-run=client)" "create output: $*"
  got=$(k get "$(k "$@" --dry-run=client -o name)" -o json | jq -S "$what")
  expect_eq "$got" "$want" "stored object of: $*"
}
same '.metadata.name' create namespace team
same '.data' create configmap cfg --from-literal=a=1 --from-literal=b=two
same '.data' create secret generic sec --from-literal=user=admin
same '.type, .data' create secret docker-registry reg --docker-server=r.example.com --docker-username=u --docker-password=p
same '.metadata.name' create serviceaccount robot
same '.rules' create role reader --verb=get,list --resource=pods,configmaps
same '.roleRef, .subjects' create rolebinding rb --role=reader --serviceaccount=default:robot --user=jane
same '.rules' create clusterrole cr --verb=watch --resource=deployments.apps
same '.roleRef, .subjects' create clusterrolebinding crb --clusterrole=cr --group=devs
same '.value, .description' create priorityclass high --value=1000 --description="important"
# fields the server defaults (as a cluster does) are not in the client's object
DEFAULTED='walk(if type == "object" then del(.protocol, .nodePort, .terminationMessagePath,
  .terminationMessagePolicy, .imagePullPolicy, .dnsPolicy, .restartPolicy, .schedulerName,
  .terminationGracePeriodSeconds, .securityContext, .revisionHistoryLimit,
  .progressDeadlineSeconds, .enableServiceLinks, .strategy) else . end)'
same ".spec | $DEFAULTED" create deployment web --image=nginx:1.25 --port=80 --replicas=3
same '.spec.ports, .spec.selector, .spec.type' create service clusterip svc --tcp=5678:8080
same ".spec.ports | $DEFAULTED" create service nodeport np --tcp=80:http
same '.spec.externalName, .spec.type' create service externalname ext --external-name=example.com
same ".spec | $DEFAULTED" run pod1 --image=busybox --env=A=1 --labels=x=y --restart=Never --port=8080
expect_eq "$(k create deployment job --image=busybox -- sh -c 'echo hi')" "deployment.apps/job created"
expect_eq "$(k get deploy job -o jsonpath='{.spec.template.spec.containers[0].command}')" '["sh","-c","echo hi"]'
expect_eq "$(k run pod2 --image=busybox --restart=Never -- sleep 10)" "pod/pod2 created"
expect_eq "$(k get pod pod2 -o jsonpath='{.spec.containers[0].args}')" '["sleep","10"]'

expect_eq "$(k get ns team -o jsonpath='{.metadata.labels.kubernetes\.io/metadata\.name}')" "team"
expect_eq "$(k get secret sec -o jsonpath='{.data.user}' | base64 -d)" "admin"

# kinds without protobuf support are refused with 415: test_create_typed.sh
stop_server
