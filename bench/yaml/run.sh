#!/bin/sh
# run.sh: the YAML benchmark, gotk against libyaml and kubectl kustomize.
#
# Generates SIZE_MB (default 50) of manifests in a temporary directory: copies
# of the corpus's Helm-rendered and CRD files (tests/yaml-corpus/*helm-rendered*
# and *crd*), each copy with its metadata names suffixed so every object is
# distinct. Then prints, in MB/s of input:
#   - libyaml raw event parsing (the floor), gotk parse, gotk emit, gotk round
#     trip (bench/yaml_bench over all of it);
#   - `kubectl kustomize --reorder none` over a KUSTOMIZE_MB slice (default 5:
#     kustomize is slow and superlinear), and gotk's round trip on that same
#     slice, with the ratio.
# It measures and prints; it asserts nothing.
#
# Usage: bench/yaml/run.sh [BUILD_DIR]    (default: $GOTK_BUILD_ROOT or ./build)
# Env:   SIZE_MB=50 KUSTOMIZE_MB=5 ROUNDS=3 KEEP=1 (keep the generated files)
set -eu

src=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-${GOTK_BUILD_ROOT:-$src/build}}
bench=$build/bench/yaml_bench
size_mb=${SIZE_MB:-50}
kmb=${KUSTOMIZE_MB:-5}
rounds=${ROUNDS:-3}
if [ ! -x "$bench" ]; then
    echo "run.sh: $bench not found: meson compile -C $build first" >&2
    exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/gotk-yaml-bench.XXXXXX")
if [ -z "${KEEP:-}" ]; then
    trap 'rm -rf "$tmp"' EXIT INT TERM
else
    echo "keeping generated files in $tmp"
fi
mkdir "$tmp/all" "$tmp/slice"

# generate: copy the sources round after round until SIZE_MB is reached. A
# plain (unquoted) `  name:` at indent 2 is metadata.name in these files (or
# a reference, which may change too); the suffix keeps kustomize's ids unique.
set -- "$src"/tests/yaml-corpus/*helm-rendered*.yaml "$src"/tests/yaml-corpus/*crd*.yaml
want=$((size_mb * 1000000))
total=0
i=0
while [ "$total" -lt "$want" ]; do
    i=$((i + 1))
    for f in "$@"; do
        out="$tmp/all/c$(printf %05d $i)-$(basename "$f")"
        sed "s/^  name: \([^\"' ][^ ]*\)\$/  name: \1-c$i/" "$f" >"$out"
        total=$((total + $(wc -c <"$out")))
    done
done

# slice: the first files up to KUSTOMIZE_MB, for kubectl and for gotk alike.
kwant=$((kmb * 1000000))
ktotal=0
printf 'resources:\n' >"$tmp/slice/kustomization.yaml"
for f in "$tmp"/all/*.yaml; do
    [ "$ktotal" -ge "$kwant" ] && break
    cp "$f" "$tmp/slice/"
    printf -- '- %s\n' "$(basename "$f")" >>"$tmp/slice/kustomization.yaml"
    ktotal=$((ktotal + $(wc -c <"$f")))
done

echo "== gotk and libyaml over $(find "$tmp/all" -name "*.yaml" | wc -l) files, $(awk "BEGIN{printf \"%.1f\", $total/1e6}") MB (copies of $# corpus files)"
"$bench" -n "$rounds" "$tmp"/all/*.yaml | tee "$tmp/full.tsv"

echo "== the same over the kubectl slice: $(awk "BEGIN{printf \"%.1f\", $ktotal/1e6}") MB"
"$bench" -n "$rounds" "$tmp"/slice/*.yaml | grep -v '^#' | tee "$tmp/slice.tsv"

kt=
if command -v kubectl >/dev/null 2>&1; then
    t0=$(date +%s.%N)
    if kubectl kustomize --reorder none "$tmp/slice" >"$tmp/kustomize.out" 2>"$tmp/kustomize.err"; then
        t1=$(date +%s.%N)
        kt=$(awk "BEGIN{print $t1 - $t0}")
        printf 'kubectl-kustomize\t%.3f\t%.1f\n' "$kt" "$(awk "BEGIN{print $ktotal/1e6/$kt}")"
    else
        echo "kubectl kustomize failed on the slice:"
        grep -v deprecated "$tmp/kustomize.err" | head -5
    fi
else
    echo "kubectl not found: no kustomize timing"
fi

# ratios: read MB/s (column 3) from the tables.
mbs() { awk -F'\t' -v p="$1" '$1 == p {print $3}' "$2"; }
floor=$(mbs libyaml-events "$tmp/full.tsv")
parse=$(mbs gotk-parse "$tmp/full.tsv")
rt=$(mbs gotk-roundtrip "$tmp/full.tsv")
echo "== ratios"
awk "BEGIN{printf \"gotk parse runs at %.2f of libyaml's raw event speed\n\", $parse/$floor}"
awk "BEGIN{printf \"gotk round trip runs at %.2f of libyaml's raw event speed\n\", $rt/$floor}"
if [ -n "$kt" ]; then
    srt=$(mbs gotk-roundtrip "$tmp/slice.tsv")
    kmbs=$(awk "BEGIN{print $ktotal/1e6/$kt}")
    awk "BEGIN{printf \"gotk round trip is %.1fx kubectl kustomize on the %.1f MB slice\n\", $srt/$kmbs, $ktotal/1e6}"
    awk "BEGIN{printf \"kubectl kustomize scaled linearly to %.1f MB would take %.1f s (a lower bound: it is superlinear); gotk round trip took %s s\n\", $total/1e6, $kt*$total/$ktotal, \"$(awk -F'\t' '$1 == "gotk-roundtrip" {print $2}' "$tmp/full.tsv")\"}"
fi
