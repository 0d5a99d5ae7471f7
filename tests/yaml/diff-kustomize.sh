#!/bin/sh
# diff-kustomize.sh: one YAML differential test.
#
# Builds FILE with `kubectl kustomize --reorder none` (a temporary directory
# holding a copy of FILE and a kustomization.yaml that lists it), runs gotk's
# yaml_roundtrip on FILE, and compares the two outputs byte for byte. On a
# mismatch it prints a unified diff (--- kubectl kustomize, +++ gotk) and fails.
# Nothing is cached: kubectl runs every time.
#
# Usage: diff-kustomize.sh FILE [ROUNDTRIP]
#   ROUNDTRIP defaults to $GOTK_BUILD_ROOT/tests/yaml/yaml_roundtrip.
# Exit: 0 same, 1 different or failed, 77 skipped (no kubectl), 99 bad usage.
set -u

file=${1:-}
roundtrip=${2:-${GOTK_BUILD_ROOT:-.}/tests/yaml/yaml_roundtrip}
if [ -z "$file" ] || [ ! -f "$file" ]; then
    echo "usage: diff-kustomize.sh FILE [ROUNDTRIP]" >&2
    exit 99
fi
if [ ! -x "$roundtrip" ]; then
    echo "diff-kustomize.sh: $roundtrip is not an executable" >&2
    exit 99
fi
if ! command -v kubectl >/dev/null 2>&1; then
    echo "kubectl not found: skipping"
    exit 77
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/gotk-yaml.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT INT TERM
name=$(basename "$file")
mkdir "$tmp/k"
cp "$file" "$tmp/k/$name"
printf 'resources:\n- %s\n' "$name" >"$tmp/k/kustomization.yaml"

# kubectl warns on stderr that --reorder is deprecated: keep stderr apart and
# show it only when kubectl fails.
if ! kubectl kustomize --reorder none "$tmp/k" >"$tmp/expected" 2>"$tmp/kubectl.err"; then
    echo "kubectl kustomize rejected $file (fix the corpus file):"
    cat "$tmp/kubectl.err"
    exit 1
fi
"$roundtrip" "$file" >"$tmp/actual" 2>"$tmp/gotk.err"
rc=$?
if [ $rc -ne 0 ]; then
    echo "yaml_roundtrip failed on $file (exit $rc):"
    cat "$tmp/gotk.err"
    exit 1
fi
if cmp -s "$tmp/expected" "$tmp/actual"; then
    exit 0
fi
echo "gotk output differs from kubectl kustomize for $file:"
diff -u --label "kubectl kustomize" --label "gotk" "$tmp/expected" "$tmp/actual"
exit 1
