# label and annotate (merge patches), label selectors.
start_server
for n in a b c; do
  k apply -f - >/dev/null <<YAML
apiVersion: v1
kind: ConfigMap
metadata: {name: $n}
YAML
done
expect_eq "$(k label cm a tier=front env=prod)" "configmap/a labeled"
expect_eq "$(k label cm b tier=back env=prod)" "configmap/b labeled"
expect_eq "$(k label cm c tier=front)" "configmap/c labeled"
expect_eq "$(k get cm a -o jsonpath='{.metadata.labels.tier}')" "front"

sel() { k get cm -l "$1" -o name | tr '\n' ' '; }
expect_eq "$(sel tier=front)" "configmap/a configmap/c " "="
expect_eq "$(sel tier==back)" "configmap/b " "=="
expect_eq "$(sel 'tier!=front')" "configmap/b " "!="
expect_eq "$(sel 'tier in (front,back)')" "configmap/a configmap/b configmap/c " "in"
expect_eq "$(sel 'tier notin (front)')" "configmap/b " "notin"
expect_eq "$(sel env)" "configmap/a configmap/b " "exists"
expect_eq "$(sel '!env')" "configmap/c " "!key"
expect_eq "$(sel 'tier=front,env=prod')" "configmap/a " "and"
expect_eq "$(k get cm --field-selector metadata.name=b -o name)" "configmap/b" "field selector"
expect_eq "$(k get cm --field-selector 'metadata.name!=b' -o name | tr '\n' ' ')" "configmap/a configmap/c " "field !="
expect_eq "$(k get cm -A --field-selector metadata.namespace=default -o name | wc -l)" "3"
expect_fail k get cm -l 'tier in (front'
expect_contains "$OUT" "unable to parse requirement"

expect_eq "$(k label cm a tier-)" "configmap/a unlabeled"
expect_eq "$(k get cm a -o jsonpath='{.metadata.labels}')" '{"env":"prod"}'
expect_fail k label cm a env=dev
expect_contains "$OUT" "'env' already has a value (prod), and --overwrite is false"
expect_eq "$(k label cm a env=dev --overwrite)" "configmap/a labeled"

expect_eq "$(k annotate cm a note='hello world')" "configmap/a annotated"
expect_eq "$(k get cm a -o jsonpath='{.metadata.annotations.note}')" "hello world"
expect_eq "$(k annotate cm a note-)" "configmap/a annotated"
expect_eq "$(k get cm a -o jsonpath='{.metadata.annotations.note}')" ""
# metadata changes do not bump generation
expect_eq "$(k get cm a -o jsonpath='{.metadata.generation}')" "1"
stop_server
