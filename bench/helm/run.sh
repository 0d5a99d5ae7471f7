#!/usr/bin/env bash
# bench/helm: `gotk helm template` next to the reference `helm template`
# (v3.17.3, fetched by tests/template/get-helm.sh) on
#   - small: podinfo (tests/helm/charts/podinfo), a podinfo-sized chart;
#   - large: an umbrella chart made here of COPIES (default 15) aliased
#     ingress-nginx and prometheus charts (prometheus with three subcharts of
#     its own), several hundred templates and ~800 KB of output.
# Each is run ROUNDS times (default 10; the small chart 20 times as often, as
# gotk renders it in about a millisecond and CPU times come in 10 ms ticks);
# prints the mean CPU time (user + system: wall time means little on a shared
# machine) of each tool, the ratio, peak RSS and whether the outputs are
# identical. Asserts nothing.
#   bench/helm/run.sh BUILD_DIR
set -u
build=${1:?usage: run.sh BUILD_DIR}
gotk="$build/cli/gotk"
here=$(cd "$(dirname "$0")" && pwd)
charts="$here/../../tests/helm/charts"
copies=${COPIES:-15}
rounds=${ROUNDS:-10}
helm=$(sh "$here/../../tests/template/get-helm.sh" "$build/cache/helm") || {
  echo "reference helm unavailable"; exit 77; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export KUBECONFIG="$T/none" HELM_CACHE_HOME="$T/h" HELM_CONFIG_HOME="$T/h" HELM_DATA_HOME="$T/h"

# The umbrella chart: aliases of the two charts, pushgateway off (see tests/helm/cases.txt).
make_large() { # dir
  local d=$1 i
  mkdir -p "$d/charts" "$d/templates"
  cp -r "$charts/ingress-nginx" "$charts/prometheus" "$d/charts/"
  {
    printf 'apiVersion: v2\nname: umbrella\nversion: 1.0.0\ndependencies:\n'
    for ((i = 1; i <= copies; i++)); do
      printf -- '- name: ingress-nginx\n  version: "*"\n  alias: ingress-%d\n' "$i"
      printf -- '- name: prometheus\n  version: "*"\n  alias: prom-%d\n' "$i"
    done
  } >"$d/Chart.yaml"
  for ((i = 1; i <= copies; i++)); do
    printf 'prom-%d:\n  prometheus-pushgateway:\n    enabled: false\n' "$i"
  done >"$d/values.yaml"
  printf 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {{ .Release.Name }}\n' \
    >"$d/templates/cm.yaml"
}

# mean CPU seconds (user + system) of N runs in a row, and peak RSS (MB)
# of the largest; stdout of the last to a file
measure() { # n out cmd...
  local n=$1 out=$2
  shift 2
  /usr/bin/time -f '%U %S %M' -o "$T/time" \
    sh -c 'n=$1; o=$2; shift 2; i=0; while [ $i -lt $n ]; do "$@" >"$o" 2>/dev/null; i=$((i + 1)); done' \
    sh "$n" "$out" "$@"
  awk -v n="$n" '{ printf "%.5f %d\n", ($1 + $2) / n, $3 / 1024 }' "$T/time"
}

run() { # name rounds args...
  local name=$1 n=$2 gs gm hs hm same ratio
  shift 2
  read -r gs gm < <(measure "$n" "$T/$name.g" "$gotk" helm template r "$@")
  read -r hs hm < <(measure "$rounds" "$T/$name.h" "$helm" template r "$@")
  same=$(cmp -s "$T/$name.g" "$T/$name.h" && echo identical || echo DIFFERENT)
  ratio=$(awk -v a="$hs" -v b="$gs" 'BEGIN { printf "%.1fx", (b > 0 ? a / b : 0) }')
  printf '%-7s %9s %8s %8s %8s %8s %9s %s\n' "$name" "$(wc -c <"$T/$name.g")" \
    "$gs" "$gm" "$hs" "$hm" "$ratio" "$same"
}

make_large "$T/umbrella"
printf '%-7s %9s %8s %8s %8s %8s %9s %s\n' chart out_B gotk_cpu gotk_MB helm_cpu helm_MB ratio output
run small $((rounds * 20)) "$charts/podinfo" --skip-tests
run large "$rounds" "$T/umbrella"
